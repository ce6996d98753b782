"""MNIST for the book: Keras's download, or a local copy named by ``MNIST_NPZ``.

The chapters call :func:`load_mnist`, which returns exactly what
``keras.datasets.mnist.load_data()`` returns. With the environment variable
``MNIST_NPZ`` set to the path of an ``mnist.npz`` file, it reads that file
instead and nothing is downloaded. Either way the arrays are checked (keys,
shapes, dtypes, label range) before a chapter sees them, so a missing,
truncated or wrong file fails at once with one clear message.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import numpy as np

ENV_VAR = "MNIST_NPZ"

#: What every array must look like: name -> (shape, dtype).
EXPECTED = {
    "x_train": ((60000, 28, 28), np.uint8),
    "y_train": ((60000,), np.uint8),
    "x_test": ((10000, 28, 28), np.uint8),
    "y_test": ((10000,), np.uint8),
}

N_CLASSES = 10

_FIX = (
    f"Fix: set {ENV_VAR} to the path of a complete mnist.npz (the arrays "
    "x_train, y_train, x_test and y_test, as keras.datasets.mnist.load_data() "
    f"returns them), or unset {ENV_VAR} to let Keras download MNIST."
)

Splits = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class MnistFileError(OSError):
    """MNIST could not be loaded: the message names the file and the fix."""

    def __init__(self, source: str | os.PathLike, problem: str):
        self.source = str(source)
        self.problem = problem
        super().__init__(f"Cannot load MNIST from {self.source}: {problem}.\n{_FIX}")


def load_mnist(path: str | os.PathLike | None = None) -> Splits:
    """Return ``(x_train, y_train), (x_test, y_test)`` as Keras's loader does.

    ``path`` (or, if it is not given, the environment variable ``MNIST_NPZ``)
    names a local ``mnist.npz``; with neither, Keras downloads MNIST (or reuses
    its copy in ``~/.keras/datasets``).
    """
    if path is None:
        path = os.environ.get(ENV_VAR) or None
    if path is None:
        arrays = _download()
        source = "Keras's download of mnist.npz"
    else:
        source = Path(path).expanduser().resolve()
        arrays = _read_npz(source)
    check_arrays(arrays, source)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def scale(images):
    """Pixels from whole numbers in 0..255 to 32-bit floats in [0, 1]."""
    return images.astype("float32") / 255


# scale is shown where book/mnist.md teaches it (tests/test_library.py keeps them equal).


def fingerprint(splits: Splits) -> str:
    """A sha256 of the arrays' contents: the same for any file that holds the same MNIST."""
    digest = hashlib.sha256()
    for pair in splits:
        for array in pair:
            digest.update(str((array.shape, array.dtype.str)).encode())
            digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def _download() -> dict[str, np.ndarray]:
    import keras  # imported here so that reading a local file never needs Keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:  # no network, a proxy, a broken cache ...
        raise MnistFileError(
            "Keras's download of mnist.npz",
            f"the download failed ({type(error).__name__}: {error}); without "
            f"internet access, set {ENV_VAR} to a local copy",
        ) from error
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise MnistFileError(path, "no such file")
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = sorted(set(EXPECTED) - set(npz.files))
            if missing:
                raise MnistFileError(
                    path,
                    f"the arrays {', '.join(missing)} are missing "
                    f"(the file holds: {', '.join(sorted(npz.files)) or 'nothing'})",
                )
            return {name: npz[name] for name in EXPECTED}
    except MnistFileError:
        raise
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as error:
        raise MnistFileError(
            path,
            f"it is not a readable .npz file, perhaps truncated or corrupt "
            f"({type(error).__name__}: {error})",
        ) from error


def check_arrays(arrays: dict[str, np.ndarray], source: str | os.PathLike) -> None:
    """Raise :class:`MnistFileError` unless ``arrays`` look like MNIST."""
    for name, (shape, dtype) in EXPECTED.items():
        array = arrays[name]
        if array.shape != shape:
            raise MnistFileError(source, f"{name} has shape {array.shape}, expected {shape}")
        if array.dtype != dtype:
            raise MnistFileError(
                source, f"{name} has dtype {array.dtype}, expected {np.dtype(dtype)}"
            )
    for name in ("y_train", "y_test"):
        labels = arrays[name]
        if labels.max() >= N_CLASSES:
            raise MnistFileError(
                source,
                f"{name} holds the label {labels.max()}, but MNIST labels run "
                f"from 0 to {N_CLASSES - 1}",
            )
