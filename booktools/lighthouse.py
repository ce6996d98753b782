"""Lighthouse on every page of the book: the scores, their limits, the README's table.

Lighthouse (npm, pinned in package.json) runs through ``booktools/lighthouse.mjs``
with its mobile defaults (a mid-range phone on a simulated slow 4G link),
against the built site served from localhost gzip-compressed, as a web host
serves it (:func:`booktools.browser.serve`). Single runs are noisy on a busy
machine, so a page's median over three runs counts. The third run is made only
where it can change the verdict: where the first two runs disagree on some
limit (one passes it, the other misses it). Where they agree on every limit,
the median of three would pass and miss exactly the same limits, whatever the
third run gave, so the page keeps its two runs (and their median) and CI saves
a third of Lighthouse's time.
``tests/test_lighthouse.py`` fails a page below :data:`LIMITS`; it and this
module's command line write the table to ``_build/lighthouse.md``::

    python -m booktools.lighthouse                      # every page of _toc.yml
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
RUNS = 3
#: The least score of each category (0-100).
MIN_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
#: Largest contentful paint (ms) and cumulative layout shift, at most.
MAX_LCP_MS = 2500
MAX_CLS = 0.1
SCORES = tuple(MIN_SCORES)


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
    """A page's median over its runs, and the runs themselves."""

    page: str
    runs: list[dict]

    def median(self, key: str) -> float:
        return statistics.median(run[key] for run in self.runs)

    def missed(self, value=None) -> set[str]:
        """The limits missed by one run (a dict), or by the median when ``value`` is None."""
        measure = self.median if value is None else value.__getitem__
        missed = {category for category, least in MIN_SCORES.items() if measure(category) < least}
        if measure("lcp_ms") > MAX_LCP_MS:
            missed.add("lcp_ms")
        if measure("cls") > MAX_CLS:
            missed.add("cls")
        return missed

    def settled(self, runs: int) -> bool:
        """Whether more runs, up to ``runs`` in all, could not change which limits the median misses.

        They cannot once the runs made are a majority of ``runs`` and all miss the same limits.
        """
        made = len(self.runs)
        return made >= runs or (
            made > runs // 2 and len({frozenset(self.missed(r)) for r in self.runs}) == 1
        )

    def problems(self) -> list[str]:
        found = []
        errors = {run["runtime_error"] for run in self.runs if run.get("runtime_error")}
        found += [f"Lighthouse failed: {error}" for error in sorted(errors)]
        missed = self.missed()
        for category, least in MIN_SCORES.items():
            if category in missed:
                found.append(f"{category} {self.median(category):.0f} < {least}")
        if "lcp_ms" in missed:
            found.append(
                f"largest contentful paint {self.median('lcp_ms') / 1000:.1f} s > {MAX_LCP_MS / 1000} s"
            )
        if "cls" in missed:
            found.append(f"cumulative layout shift {self.median('cls'):.3f} > {MAX_CLS}")
        if found:
            audits = sorted({audit for run in self.runs for audit in run.get("failing", [])})
            found.append(f"audits that did not pass in some run: {', '.join(audits) or 'none'}")
        return found


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
    """Up to ``runs`` Lighthouse runs of each page, fewer where the verdict is settled.

    Every page first runs a majority of ``runs`` times (two of three); then, one
    run at a time, the pages whose verdict is not yet :meth:`Result.settled` run
    again. Returns the results and the seconds it took.
    """
    with tempfile.TemporaryDirectory() as scratch, serve(html) as base_url:
        start = time.perf_counter()
        first = _lighthouse(pages, runs // 2 + 1, base_url, Path(scratch))
        results = {page: Result(page, first[page]) for page in pages}
        while unsettled := [page for page, result in results.items() if not result.settled(runs)]:
            more = _lighthouse(unsettled, 1, base_url, Path(scratch))
            for page in unsettled:
                results[page].runs += more[page]
        seconds = time.perf_counter() - start
    return [results[page] for page in pages], seconds


def table(results: list[Result], runs: int, seconds: float, load: str = "") -> str:
    """The README's table: each page's medians, with the date and the limits."""
    third = sum(len(result.runs) > runs // 2 + 1 for result in results)
    lines = [
        (
            f"Measured on {dt.date.today().isoformat()} by `tests/test_lighthouse.py`: Lighthouse 12"
            " with its mobile defaults (a mid-range phone on a simulated slow 4G link), against"
            f" the built site served gzip-compressed from localhost; the median of {runs} runs per"
            f" page, or of {runs // 2 + 1} where those agreed on every limit, since more could not"
            f" change the verdict ({third} of {len(results)} pages needed more;"
            f" {seconds:.0f} s in all{', ' + load if load else ''}). The"
            f" limits: performance {MIN_SCORES['performance']}, accessibility, best practices"
            f" and SEO 100, largest paint {MAX_LCP_MS / 1000} s, layout shift {MAX_CLS}."
        ),
        "",
        "| page | performance | accessibility | best practices | SEO | largest paint | layout shift | kB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        scores = " | ".join(f"{result.median(key):.0f}" for key in SCORES)
        lines.append(
            f"| `{result.page}` | {scores} | {result.median('lcp_ms') / 1000:.1f} s"
            f" | {result.median('cls'):.3f} | {result.median('bytes') / 1000:,.0f} |"
        )
    return "\n".join(lines) + "\n"


def machine_load() -> str:
    """The load average over the last minute, with the number of cores, to read the table by."""
    one_minute = os.getloadavg()[0]
    return f"load average {one_minute:.1f} on {os.cpu_count()} cores"


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
