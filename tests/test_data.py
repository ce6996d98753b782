"""The MNIST loader: the right arrays from a good file, one clear error for a bad one."""

import hashlib
import shutil

import numpy as np
import pytest

from handwriting import data
from handwriting.data import ENV_VAR, MnistFileError, load_mnist

pytestmark = pytest.mark.unit

# sha256 of each array's bytes, as ../shared/data/README.md lists them.
MNIST_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}


def fake_arrays():
    """Arrays shaped like MNIST (all zeros but a few labels)."""
    arrays = {name: np.zeros(shape, dtype) for name, (shape, dtype) in data.EXPECTED.items()}
    arrays["y_train"][:10] = np.arange(10)
    return arrays


@pytest.fixture(scope="module")
def good_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("mnist") / "mnist.npz"
    np.savez(path, **fake_arrays())
    return path


def write(tmp_path, **arrays):
    path = tmp_path / "mnist.npz"
    np.savez(path, **arrays)
    return path


def assert_clear_error(error, path):
    """One message that names the file and says how to fix it."""
    message = str(error.value)
    assert str(path.resolve()) in message
    assert ENV_VAR in message and "Fix:" in message


def test_the_real_mnist_loads_with_the_published_contents():
    (x_train, y_train), (x_test, y_test) = load_mnist()
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for name, array in arrays.items():
        assert hashlib.sha256(array.tobytes()).hexdigest() == MNIST_SHA256[name], name
    assert list(y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]


def test_a_good_file_loads_as_keras_returns_it(good_file):
    (x_train, y_train), (x_test, y_test) = load_mnist(good_file)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.dtype == np.uint8 and list(y_train[:10]) == list(range(10))


def test_the_environment_variable_names_the_file(good_file, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(good_file))
    (x_train, _), _ = load_mnist()
    assert x_train.shape == (60000, 28, 28)
    missing = tmp_path / "elsewhere" / "mnist.npz"
    monkeypatch.setenv(ENV_VAR, str(missing))
    with pytest.raises(MnistFileError, match="no such file") as error:
        load_mnist()
    assert_clear_error(error, missing)


def test_a_missing_file(tmp_path):
    path = tmp_path / "mnist.npz"
    with pytest.raises(MnistFileError, match="no such file") as error:
        load_mnist(path)
    assert_clear_error(error, path)


@pytest.mark.parametrize("keep", [0.5, 0.01])
def test_a_truncated_file(good_file, tmp_path, keep):
    path = tmp_path / "mnist.npz"
    content = good_file.read_bytes()
    path.write_bytes(content[: int(len(content) * keep)])
    with pytest.raises(MnistFileError, match="not a readable .npz file") as error:
        load_mnist(path)
    assert_clear_error(error, path)


def test_a_file_that_is_not_an_npz(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_text("<html>a login page instead of the data</html>")
    with pytest.raises(MnistFileError, match="not a readable .npz file") as error:
        load_mnist(path)
    assert_clear_error(error, path)


def test_a_file_with_missing_arrays(tmp_path):
    arrays = fake_arrays()
    del arrays["y_test"]
    path = write(tmp_path, **arrays)
    with pytest.raises(MnistFileError, match="arrays y_test are missing") as error:
        load_mnist(path)
    assert_clear_error(error, path)


@pytest.mark.parametrize(
    "name, bad, problem",
    [
        ("x_train", np.zeros((60000, 784), np.uint8), r"x_train has shape \(60000, 784\)"),
        ("x_test", np.zeros((9999, 28, 28), np.uint8), r"x_test has shape \(9999, 28, 28\)"),
        ("x_train", np.zeros((60000, 28, 28), np.float32), "x_train has dtype float32"),
        ("y_test", np.zeros(10000, np.int64), "y_test has dtype int64"),
        ("y_train", np.full(60000, 10, np.uint8), "y_train holds the label 10"),
    ],
)
def test_arrays_of_the_wrong_shape_type_or_labels(tmp_path, name, bad, problem):
    arrays = fake_arrays()
    arrays[name] = bad
    path = write(tmp_path, **arrays)
    with pytest.raises(MnistFileError, match=problem) as error:
        load_mnist(path)
    assert_clear_error(error, path)


def test_a_failed_download_says_how_to_work_offline(monkeypatch):
    import keras

    def no_network():
        raise OSError("Temporary failure in name resolution")

    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", no_network)
    with pytest.raises(MnistFileError, match="download failed") as error:
        load_mnist()
    assert ENV_VAR in str(error.value)


def test_the_good_file_is_left_untouched_by_a_failed_load(good_file, tmp_path):
    """Loading never writes: a bad copy beside a good one leaves the good one as it was."""
    before = good_file.read_bytes()
    bad = tmp_path / "mnist.npz"
    shutil.copy(good_file, bad)
    bad.write_bytes(bad.read_bytes()[:100])
    with pytest.raises(MnistFileError):
        load_mnist(bad)
    assert good_file.read_bytes() == before
