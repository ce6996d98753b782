"""Lighthouse on every page of the book: the scores, their limits, the README's table.

Lighthouse (npm, pinned in package.json) runs through ``booktools/lighthouse.mjs``
with its mobile defaults (a mid-range phone on a simulated slow 4G link),
against the built site served from localhost gzip-compressed, as a web host
serves it (:func:`booktools.browser.serve`). Single runs are noisy on a busy
machine, so each page runs three times and its median counts.
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

    def problems(self) -> list[str]:
        found = []
        errors = {run["runtime_error"] for run in self.runs if run.get("runtime_error")}
        found += [f"Lighthouse failed: {error}" for error in sorted(errors)]
        for category, least in MIN_SCORES.items():
            if self.median(category) < least:
                found.append(f"{category} {self.median(category):.0f} < {least}")
        if self.median("lcp_ms") > MAX_LCP_MS:
            found.append(
                f"largest contentful paint {self.median('lcp_ms') / 1000:.1f} s > {MAX_LCP_MS / 1000} s"
            )
        if self.median("cls") > MAX_CLS:
            found.append(f"cumulative layout shift {self.median('cls'):.3f} > {MAX_CLS}")
        if found:
            audits = sorted({audit for run in self.runs for audit in run.get("failing", [])})
            found.append(f"audits that did not pass in some run: {', '.join(audits) or 'none'}")
        return found


def run(pages: list[str], runs: int = RUNS, html: Path = paths.HTML) -> tuple[list[Result], float]:
    """Run Lighthouse ``runs`` times on each page; the results and the seconds it took."""
    environment = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH") or str(CHROMIUM)}
    with tempfile.TemporaryDirectory() as scratch, serve(html) as base_url:
        out = Path(scratch) / "lighthouse.json"
        command = ["node", str(SCRIPT), base_url, str(out), *pages, "--runs", str(runs)]
        start = time.perf_counter()
        finished = subprocess.run(
            command, cwd=paths.ROOT, env=environment, capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - start
        if finished.returncode != 0:
            raise RuntimeError(
                f"Lighthouse failed:\n{finished.stdout[-2000:]}\n{finished.stderr[-3000:]}"
            )
        raw = json.loads(out.read_text(encoding="utf-8"))
    return [Result(page, raw[page]) for page in pages], seconds


def table(results: list[Result], runs: int, seconds: float, load: str = "") -> str:
    """The README's table: each page's medians, with the date and the limits."""
    lines = [
        (
            f"Measured on {dt.date.today().isoformat()} by `tests/test_lighthouse.py`: Lighthouse 12"
            " with its mobile defaults (a mid-range phone on a simulated slow 4G link), against"
            " the built site served gzip-compressed from localhost; the median of"
            f" {runs} runs per page ({seconds:.0f} s in all{', ' + load if load else ''}). The"
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
