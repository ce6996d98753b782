"""What built a page, in words: the CPUs this process may use, the GPUs, the versions."""

import os

import keras
import pytest

from handwriting import machine

pytestmark = pytest.mark.unit


def test_the_cpus_are_those_this_process_may_use():
    assert 1 <= machine.usable_cpus() <= len(os.sched_getaffinity(0)) <= os.cpu_count()


def test_a_container_quota_caps_the_cpus(tmp_path):
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("150000 100000\n")
    assert machine._quota(cpu_max) == 2  # one and a half CPUs' time: two may run
    cpu_max.write_text("max 100000\n")
    assert machine._quota(cpu_max) is None
    assert machine._quota(tmp_path / "missing") is None


def test_the_words_follow_the_record():
    record = machine.record()
    assert record["gpus"] == [str(d) for d in keras.distribution.list_devices("gpu")]
    assert record["versions"]["keras"] == keras.__version__
    assert machine.hardware({**record, "cpus": 1, "gpus": []}) == "1 CPU and no GPU"
    assert machine.hardware({**record, "cpus": 8, "gpus": ["a", "b"]}) == "2 GPUs and 8 CPUs"
    tf_version = record["versions"]["tensorflow"]
    assert machine.describe({**record, "cpus": 2, "gpus": []}) == (
        f"2 CPUs and no GPU, TensorFlow {tf_version}"
    )
