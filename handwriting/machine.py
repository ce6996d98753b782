"""What does the computing: the CPUs this process may use, whether a GPU does it, the versions.

A page that quotes a duration says what it was measured on, and glues these
words rather than typing them (book/first-classifier.md shows how). The model
store (:mod:`handwriting.store`) keeps the same record with every model it
trains, so that a page quoting a stored training time can name the machine and
versions of *that* training, which may be an earlier build on another computer.

- :func:`usable_cpus` counts the CPUs this process may run on: its CPU affinity,
  capped by a container's CPU quota (cgroup v2 ``cpu.max``), not the host's count
  that ``os.cpu_count()`` gives.
- :func:`gpus` lists the GPUs that Keras's backend can use; TensorFlow places its
  work on a GPU whenever it sees one, so an empty list means the CPU did it all.
- :func:`record` gathers them, with the processor's name and the versions of
  Python, TensorFlow, Keras and NumPy; :func:`describe` words a record.
"""

from __future__ import annotations

import math
import os
import platform
from pathlib import Path

CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def _quota(cpu_max: Path = CGROUP_CPU_MAX) -> int | None:
    """The CPUs a cgroup v2 quota allows (``cpu.max`` holds "quota period"), or None."""
    try:
        quota, period = cpu_max.read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return max(1, math.ceil(int(quota) / int(period)))


def usable_cpus() -> int:
    """How many CPUs this process may use: its affinity, capped by a container's quota."""
    try:
        allowed = len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform (macOS)
        allowed = os.cpu_count() or 1
    quota = _quota()
    return min(allowed, quota) if quota else allowed


def gpus() -> list[str]:
    """The GPUs that Keras's backend can use (empty when the CPU does all the work)."""
    import keras

    return [str(device) for device in keras.distribution.list_devices("gpu")]


def processor() -> str:
    """The processor's model name, as the operating system reports it ("" if unknown)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def versions() -> dict[str, str]:
    """The versions of Python, TensorFlow, Keras and NumPy."""
    import keras
    import numpy as np
    import tensorflow as tf

    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
    }


def record() -> dict:
    """This machine, as the model store keeps it with a trained model."""
    return {
        "cpus": usable_cpus(),
        "gpus": gpus(),
        "processor": processor(),
        "versions": versions(),
    }


def hardware(machine: dict | None = None) -> str:
    """The hardware in words, e.g. "2 CPUs and no GPU" (this machine by default)."""
    machine = machine or record()
    cpus = f"{machine['cpus']} CPU{'s' if machine['cpus'] != 1 else ''}"
    found = len(machine["gpus"])
    if not found:
        return f"{cpus} and no GPU"
    return f"{found} GPU{'s' if found != 1 else ''} and {cpus}"


def describe(machine: dict | None = None) -> str:
    """The hardware and the versions in words, e.g. "2 CPUs and no GPU, TensorFlow 2.21.0"."""
    machine = machine or record()
    return f"{hardware(machine)}, TensorFlow {machine['versions']['tensorflow']}"
