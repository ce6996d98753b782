"""Lighthouse on every page of the book: audits that gate, timings that are reported.

Lighthouse (npm, pinned in package.json) runs through ``booktools/lighthouse.mjs``
with its mobile defaults (a mid-range phone on a simulated slow 4G link), against
the built site served from localhost gzip-compressed, as a web host serves it
(:func:`booktools.browser.serve`). Its results are of two kinds:

- **Audits of the page itself**: the accessibility, best-practices and SEO
  categories check the document, its links, images, metadata and console. The
  same page gives the same verdict on any machine, so they are gated: each must
  score 100 (:data:`MIN_SCORES`), in one run per page.
- **Timings**: the performance score, the largest contentful paint, the total
  blocking time and the layout shift. Lighthouse simulates a slow phone, but it
  measures the page's work on this machine's CPU, so the same build scored 69 and
  96 minutes apart while another process kept a core busy. They are a benchmark:
  reported in the table, with Lighthouse's own measure of the machine's speed
  (``benchmarkIndex``) and the load, never gated. What makes a page slow whatever
  the machine (its bytes, requests, render-blocking resources, DOM size and
  largest paint) is gated by the browser tests (:mod:`booktools.page_budget`).

A run that fails outright (Lighthouse's ``runtimeError``: the page did not load in
time) is a failed measurement, not a verdict: it is made again once.
``tests/test_lighthouse.py`` runs every page once and writes the table to
``_build/lighthouse.md``; the command line gives the median of more runs::

    python -m booktools.lighthouse                      # every page of _toc.yml, 3 runs each
    python -m booktools.lighthouse book/mnist.html --runs 1
    python -m booktools.readme lighthouse _build/lighthouse.md   # into README.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from booktools import paths
from booktools.browser import CHROMIUM, serve

SCRIPT = paths.ROOT / "booktools" / "lighthouse.mjs"
LIGHTHOUSE = paths.NODE_MODULES / "lighthouse"
TABLE = paths.BUILD / "lighthouse.md"
#: Runs per page for the benchmark's medians (the command line); the tests make one.
RUNS = 3
#: The gated categories, audits of the page itself: the least score of each (0-100).
MIN_SCORES = {"accessibility": 100, "best-practices": 100, "seo": 100}
#: The reported timings and the targets the table compares them with (not gated).
TARGETS = {"performance": 95, "lcp_ms": 2500, "cls": 0.1}


def pages() -> list[str]:
    """Every page of _toc.yml, as the site names it."""
    from booktools.extract_tests import toc_files

    return [path.with_suffix(".html").as_posix() for path in toc_files()]


def missing() -> list[str]:
    """What Lighthouse needs here and lacks: Node.js, the npm package, Chromium."""
    problems = []
    if shutil.which("node") is None:
        problems.append("Node.js is missing (apt-get install nodejs npm)")
    if not (LIGHTHOUSE / "package.json").is_file():
        problems.append(f"Lighthouse is missing at {LIGHTHOUSE} (npm ci; make test does it)")
    chrome = Path(os.environ.get("CHROME_PATH") or CHROMIUM)
    if not (chrome.is_file() and os.access(chrome, os.X_OK)):
        problems.append(f"Chromium is missing at {chrome} (make browser)")
    return problems


@dataclass
class Result:
    """A page's Lighthouse runs (those that completed)."""

    page: str
    runs: list[dict]

    def median(self, key: str) -> float:
        return statistics.median(run[key] for run in self.runs)

    def problems(self) -> list[str]:
        """The gated categories below their least score, with the audits that failed them."""
        if not self.runs:
            return ["Lighthouse could not complete a run of the page"]
        found = [
            f"{category} {self.median(category):.0f} < {least}"
            for category, least in MIN_SCORES.items()
            if self.median(category) < least
        ]
        if found:
            failing = sorted({audit for run in self.runs for audit in run.get("failing", [])})
            found.append(f"audits that did not pass: {', '.join(failing) or 'none'}")
        return found

    def below_target(self) -> list[str]:
        """The reported timings that miss their targets (a benchmark's remark, not a failure)."""
        missed = []
        if self.median("performance") < TARGETS["performance"]:
            missed.append("performance")
        if self.median("lcp_ms") > TARGETS["lcp_ms"]:
            missed.append("largest paint")
        if self.median("cls") > TARGETS["cls"]:
            missed.append("layout shift")
        return missed


def _lighthouse(pages: list[str], runs: int, base_url: str, scratch: Path) -> dict:
    """``runs`` Lighthouse runs of each page, through booktools/lighthouse.mjs: page -> runs."""
    environment = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH") or str(CHROMIUM)}
    out = scratch / "lighthouse.json"
    command = ["node", str(SCRIPT), base_url, str(out), *pages, "--runs", str(runs)]
    finished = subprocess.run(
        command, cwd=paths.ROOT, env=environment, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        raise RuntimeError(
            f"Lighthouse failed:\n{finished.stdout[-2000:]}\n{finished.stderr[-3000:]}"
        )
    return json.loads(out.read_text(encoding="utf-8"))


def run(pages: list[str], runs: int = RUNS, html: Path = paths.HTML) -> tuple[list[Result], float]:
    """``runs`` Lighthouse runs of each page; a run that failed outright is made again once.

    Returns the results (completed runs only) and the seconds it took.
    """
    with tempfile.TemporaryDirectory() as scratch, serve(html) as base_url:
        start = time.perf_counter()
        made = _lighthouse(pages, runs, base_url, Path(scratch))
        failed = [page for page in pages if any(run["runtime_error"] for run in made[page])]
        if failed:
            again = _lighthouse(failed, 1, base_url, Path(scratch))
            for page in failed:
                made[page] += again[page]
        seconds = time.perf_counter() - start
    results = [
        Result(page, [run for run in made[page] if not run["runtime_error"]]) for page in pages
    ]
    return results, seconds


def table(results: list[Result], runs: int, seconds: float, load: str = "") -> str:
    """The README's table: each page's gated scores and its reported timings."""
    indexes = [
        run["benchmark_index"] for r in results for run in r.runs if run.get("benchmark_index")
    ]
    machine = (
        f"Lighthouse's benchmark index of this machine {statistics.median(indexes):.0f}"
        if indexes
        else ""
    )
    context = ", ".join(part for part in (machine, load) if part)
    lines = [
        (
            f"Measured on {dt.date.today().isoformat()} by Lighthouse 12 with its mobile defaults"
            " (a mid-range phone on a simulated slow 4G link), against the built site served"
            f" gzip-compressed from localhost; {'the median of ' + str(runs) + ' runs' if runs > 1 else 'one run'}"
            f" per page ({seconds:.0f} s in all{'; ' + context if context else ''})."
            " Gated: accessibility, best practices and SEO, each 100. Reported, not gated (they"
            " depend on how busy the machine is): performance, largest paint, total blocking time"
            f" and layout shift; a page below the targets (performance {TARGETS['performance']},"
            f" largest paint {TARGETS['lcp_ms'] / 1000} s, layout shift {TARGETS['cls']}) is marked."
        ),
        "",
        "| page | accessibility | best practices | SEO | performance | largest paint | blocking time | layout shift |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        if not result.runs:
            lines.append(f"| `{result.page}` | - | - | - | - | - | - | - |")
            continue
        gated = " | ".join(f"{result.median(key):.0f}" for key in MIN_SCORES)
        mark = " (below target)" if result.below_target() else ""
        lines.append(
            f"| `{result.page}` | {gated} | {result.median('performance'):.0f}{mark}"
            f" | {result.median('lcp_ms') / 1000:.1f} s | {result.median('tbt_ms'):.0f} ms"
            f" | {result.median('cls'):.3f} |"
        )
    return "\n".join(lines) + "\n"


def machine_load() -> str:
    """The load average over the last minute, with the CPUs this process may use."""
    from handwriting.machine import usable_cpus

    return f"load average {os.getloadavg()[0]:.1f} on {usable_cpus()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "pages", nargs="*", help="pages relative to the site (default: every page of _toc.yml)"
    )
    parser.add_argument(
        "--runs", type=int, default=RUNS, help="runs per page (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if problems := missing():
        sys.exit("; ".join(problems))
    load = machine_load()
    results, seconds = run(args.pages or pages(), args.runs)
    text = table(results, args.runs, seconds, load)
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(text, encoding="utf-8")
    print(text)
    failed = {result.page: result.problems() for result in results if result.problems()}
    for page, problems in failed.items():
        print(f"{page}: " + "; ".join(problems))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
