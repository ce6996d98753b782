"""Comparisons over seeds: every run once, kept in the store, summarised and compared run for run."""

import json

import numpy as np
import pytest

from handwriting import seeds, store

pytestmark = pytest.mark.unit

CALLS = []


def noisy_score(seed, offset=0.0):
    """A stand-in experiment: a score that depends on the seed and the setting."""
    CALLS.append((seed, offset))
    return {"score": float(np.random.default_rng(seed).normal() * 0.01 + offset)}


@pytest.fixture
def scratch_store(monkeypatch, tmp_path):
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "models"))
    CALLS.clear()
    return tmp_path / "models"


def test_every_run_is_made_once_then_read_from_the_store(scratch_store):
    settings = {"base": {}, "better": {"offset": 1.0}}
    runs = seeds.over_seeds(noisy_score, settings)
    assert sorted(CALLS) == sorted((s, o) for o in (0.0, 1.0) for s in seeds.SEEDS)
    again = seeds.over_seeds(noisy_score, settings)
    assert len(CALLS) == 2 * len(seeds.SEEDS), "the second call ran nothing"
    assert again.equals(runs)
    assert list(runs.index.names) == ["setting", "seed"] and len(runs) == 6
    kept = list((scratch_store / seeds.RUNS).glob("noisy_score-*.json"))
    assert len(kept) == 6 and "machine" in json.loads(kept[0].read_text())


def test_a_changed_setting_or_seed_runs_again(scratch_store):
    seeds.over_seeds(noisy_score, {"base": {}}, seeds=(1,))
    seeds.over_seeds(noisy_score, {"base": {"offset": 0.5}}, seeds=(1, 7))
    assert CALLS == [(1, 0.0), (1, 0.5), (7, 0.5)]


def test_an_unreadable_run_is_made_again(scratch_store):
    seeds.over_seeds(noisy_score, {"base": {}}, seeds=(1,))
    (kept,) = (scratch_store / seeds.RUNS).glob("*.json")
    kept.write_text("{half a file")
    seeds.over_seeds(noisy_score, {"base": {}}, seeds=(1,))
    assert CALLS == [(1, 0.0), (1, 0.0)]


def test_spread_and_wins(scratch_store):
    runs = seeds.over_seeds(noisy_score, {"base": {}, "better": {"offset": 1.0}})
    table = seeds.spread(runs, "score")
    assert list(table.index) == ["base", "better"] and (table["runs"] == 3).all()
    assert table.loc["better", "mean"] > table.loc["base", "max"]
    assert table.loc["base", "min"] <= table.loc["base", "mean"] <= table.loc["base", "max"]
    assert seeds.wins(runs, "score", "better", "base")
    assert not seeds.wins(runs, "score", "base", "better")
    assert seeds.wins(runs, "score", "base", "better", higher=False)
    np.testing.assert_allclose(seeds.differences(runs, "score", "better", "base"), 1.0, atol=0.1)
