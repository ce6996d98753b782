"""Comparisons repeated over seeds: each run's result, their mean and spread, run once per build.

One training run draws its starting weights, its batches and its dropout masks
from one seed. Another seed gives another run, and a somewhat different result,
so a claim that one setting beats another must hold over several seeds, not
only the one a page happened to use. :func:`over_seeds` runs an experiment for
every setting and every seed and returns one row per run; :func:`spread`
summarises a measure per setting (mean, standard deviation, smallest and
largest). Two tests compare two settings, and they are not equally strong:

- :func:`wins`: one setting beats the other in every seed, run for run (the same
  seed gives both settings the same starting weights where their models have the
  same shape). Two settings that are really equal still pass it by chance once in
  eight with three seeds: on its own it supports "better in each of the three
  runs", not "better".
- :func:`separated`: every run of one setting is better than every run of the
  other, so that the two ranges do not overlap. Two equal settings pass it by
  chance once in twenty with three seeds each (a one-sided rank test at the 5 %
  level): the book's test for saying that one setting beats another.

An experiment is a function of the module that runs it, called as
``experiment(seed=seed, **setting)``, which seeds everything itself and returns
a dictionary of plain numbers (or lists of them). Its results are kept in the
model store's folder (:func:`handwriting.store.location`, under ``runs/``),
keyed like a model: the source code of the experiment and of the functions it
names in ``code``, the setting, the seed, the MNIST arrays and the package
versions. A build that finds a run there pays nothing for it; a change to any
part of the key runs it again. Entries are written whole or not at all.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import tempfile
from collections.abc import Callable, Iterable

import pandas as pd

from . import machine
from .data import fingerprint, load_mnist
from .store import location

#: The seeds of every comparison in the book: three runs per setting.
SEEDS = (1, 2, 3)
RUNS = "runs"


def run_key(
    experiment: Callable, code: Iterable[Callable], setting: dict, seed: int, data: str
) -> str:
    """The key of one run: a sha256 of the code, the setting, the seed, the data and the versions."""
    sources = [inspect.getsource(function) for function in (experiment, *code)]
    material = json.dumps(
        {
            "experiment": f"{experiment.__module__}.{experiment.__qualname__}",
            "code": sources,
            "setting": setting,
            "seed": seed,
            "data": data,
            "versions": machine.versions(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def _run(experiment: Callable, code: tuple, setting: dict, seed: int, data: str) -> dict:
    """One run's result, from the store or computed and kept now."""
    key = run_key(experiment, code, setting, seed, data)
    path = location() / RUNS / f"{experiment.__name__}-{key[:24]}.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["key"] == key:
            return kept["result"]
    except (OSError, ValueError, KeyError):  # missing or unreadable: run it again
        pass
    result = experiment(seed=seed, **setting)
    entry = {"key": key, "setting": setting, "seed": seed, "result": result}
    entry["machine"] = machine.record()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(entry, stream, indent=1)
    os.replace(scratch, path)
    return result


def over_seeds(
    experiment: Callable,
    settings: dict[str, dict],
    seeds: Iterable[int] = SEEDS,
    code: Iterable[Callable] = (),
) -> pd.DataFrame:
    """Run ``experiment(seed=s, **setting)`` for every named setting and seed.

    Returns a table with one row per run, indexed by setting name and seed, and a
    column for each number the experiment returns. ``code`` names the functions
    the experiment calls whose changes must run it again (the experiment's own
    source always counts).
    """
    data = fingerprint(load_mnist())
    code = tuple(code)
    rows = [
        {"setting": name, "seed": seed, **_run(experiment, code, setting, seed, data)}
        for name, setting in settings.items()
        for seed in seeds
    ]
    return pd.DataFrame(rows).set_index(["setting", "seed"])


def spread(runs: pd.DataFrame, measure: str) -> pd.DataFrame:
    """A measure per setting: its mean over the seeds, standard deviation, smallest and largest."""
    grouped = runs[measure].groupby(level="setting", sort=False)
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "std": grouped.std(ddof=1),
            "min": grouped.min(),
            "max": grouped.max(),
            "runs": grouped.count(),
        }
    )


def differences(runs: pd.DataFrame, measure: str, first: str, second: str) -> pd.Series:
    """``first`` minus ``second`` for ``measure``, seed by seed."""
    return runs.loc[first, measure] - runs.loc[second, measure]


def wins(runs: pd.DataFrame, measure: str, better: str, worse: str, higher: bool = True) -> bool:
    """Whether setting ``better`` beats ``worse`` on ``measure`` in every seed, run for run.

    By chance alone, one of two equal settings wins every one of three seeds with a
    probability of 1/4 (1/8 for a given one): see :func:`separated` for the test that
    supports the word "better".
    """
    gaps = differences(runs, measure, better, worse)
    return bool((gaps > 0).all() if higher else (gaps < 0).all())


def separated(
    runs: pd.DataFrame, measure: str, better: str, worse: str, higher: bool = True
) -> bool:
    """Whether every run of ``better`` beats every run of ``worse`` on ``measure``.

    With three runs each, two settings that are really equal give such separated
    ranges with a probability of 1/20 (for a given order): the book says one setting
    beats another only when this holds.
    """
    if higher:
        return bool(runs.loc[better, measure].min() > runs.loc[worse, measure].max())
    return bool(runs.loc[better, measure].max() < runs.loc[worse, measure].min())
