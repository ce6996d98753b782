"""Every page of _toc.yml in Lighthouse: accessible, well made and findable, and how fast.

Lighthouse 12 (npm) with its mobile defaults runs once on each page of the built
site, served gzip-compressed from localhost (booktools/lighthouse.py). Gated, since
they audit the page itself and give the same verdict on any machine: the
accessibility, best-practices and SEO categories, each 100, every page, no
exception. Reported, not gated, since a busy machine changes them: the performance
score, the largest contentful paint, the total blocking time and the layout shift
(what makes a page slow whatever the machine is gated in tests/test_site_browser.py).
Both go to _build/lighthouse.md, the table the README quotes
(``python -m booktools.readme lighthouse _build/lighthouse.md``).

Without Node.js, the npm packages or Chromium the tests skip; under CI they fail.
"""

from __future__ import annotations

import pytest

from booktools import lighthouse, paths
from booktools.optional import skip_or_fail

pytestmark = pytest.mark.slow

PAGES = lighthouse.pages()
RUNS = 1

GOOD = {
    "performance": 99,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
    "lcp_ms": 1200.0,
    "tbt_ms": 20.0,
    "cls": 0.0,
    "bytes": 300_000,
    "benchmark_index": 1500,
    "failing": [],
    "runtime_error": None,
}


@pytest.fixture(scope="module")
def results() -> dict[str, lighthouse.Result]:
    if problems := lighthouse.missing():
        skip_or_fail("; ".join(problems))
    if not (paths.HTML / "index.html").is_file():
        pytest.fail(f"{paths.HTML} holds no built site: run `make book` first")
    load = lighthouse.machine_load()
    measured, seconds = lighthouse.run(PAGES, RUNS)
    lighthouse.TABLE.parent.mkdir(parents=True, exist_ok=True)
    lighthouse.TABLE.write_text(lighthouse.table(measured, RUNS, seconds, load), encoding="utf-8")
    print(f"Lighthouse: {len(PAGES)} pages, {seconds:.0f} s ({load})")
    return {result.page: result for result in measured}


@pytest.mark.parametrize("page", PAGES)
def test_page_is_accessible_well_made_and_findable(results, page):
    problems = results[page].problems()
    assert not problems, f"{page} (Lighthouse):\n" + "\n".join(problems)


def test_the_gate_fails_a_page_that_misses_an_audit_and_ignores_timings():
    """A category below 100 fails, with its audits named; a slow run alone fails nothing."""
    slow = {**GOOD, "performance": 40, "lcp_ms": 9000.0, "tbt_ms": 900.0, "cls": 0.3}
    assert not lighthouse.Result("a.html", [slow]).problems()
    assert lighthouse.Result("a.html", [slow]).below_target() == [
        "performance",
        "largest paint",
        "layout shift",
    ]
    for category in lighthouse.MIN_SCORES:
        poor = {**GOOD, category: 92, "failing": ["some-audit"]}
        problems = lighthouse.Result("a.html", [poor]).problems()
        assert problems[0] == f"{category} 92 < 100" and "some-audit" in problems[-1], category


def test_a_page_that_never_completed_a_run_fails():
    assert lighthouse.Result("a.html", []).problems() == [
        "Lighthouse could not complete a run of the page"
    ]


def test_the_table_reports_timings_without_failing_them():
    text = lighthouse.table(
        [lighthouse.Result("a.html", [GOOD, {**GOOD, "performance": 60}])], 2, 9
    )
    assert "| `a.html` | 100 | 100 | 100 | 80 (below target) | 1.2 s | 20 ms | 0.000 |" in text
    assert "benchmark index of this machine 1500" in text
