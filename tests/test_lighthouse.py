"""Every page of _toc.yml, in Lighthouse, fast on a slow phone and findable.

Lighthouse 12 (npm) with its mobile defaults runs three times on each page of
the built site, served gzip-compressed from localhost (twice where the first
two runs agree on every limit, and a third could not change the verdict), and
the median counts (booktools/lighthouse.py): performance at least 95;
accessibility, best practices and SEO 100; largest contentful paint at most
2.5 s; cumulative layout shift at most 0.1; every page, no exception. The
medians go to _build/lighthouse.md, the table the README quotes
(``python -m booktools.readme lighthouse _build/lighthouse.md``).

Without Node.js, the npm packages or Chromium the tests skip; under CI they fail.
"""

from __future__ import annotations

import pytest

from booktools import lighthouse, paths
from booktools.optional import skip_or_fail

pytestmark = pytest.mark.slow

PAGES = lighthouse.pages()


@pytest.fixture(scope="module")
def results() -> dict[str, lighthouse.Result]:
    if problems := lighthouse.missing():
        skip_or_fail("; ".join(problems))
    if not (paths.HTML / "index.html").is_file():
        pytest.fail(f"{paths.HTML} holds no built site: run `make book` first")
    load = lighthouse.machine_load()
    measured, seconds = lighthouse.run(PAGES, lighthouse.RUNS)
    lighthouse.TABLE.parent.mkdir(parents=True, exist_ok=True)
    lighthouse.TABLE.write_text(
        lighthouse.table(measured, lighthouse.RUNS, seconds, load), encoding="utf-8"
    )
    made = sum(len(result.runs) for result in measured)
    print(f"Lighthouse: {len(PAGES)} pages, {made} runs, {seconds:.0f} s ({load})")
    return {result.page: result for result in measured}


@pytest.mark.parametrize("page", PAGES)
def test_page_is_fast_accessible_and_findable(results, page):
    problems = results[page].problems()
    runs = len(results[page].runs)
    assert not problems, f"{page} (median of {runs} Lighthouse runs):\n" + "\n".join(problems)


def test_the_limits_catch_a_slow_page():
    """A page that misses any limit in the median is reported; one bad run alone is not."""
    good = {
        "performance": 99,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
        "lcp_ms": 1200.0,
        "cls": 0.0,
        "bytes": 300_000,
        "failing": [],
        "runtime_error": None,
    }
    assert not lighthouse.Result("a.html", [good, good, {**good, "performance": 40}]).problems()
    for key, bad in {
        "performance": 90,
        "accessibility": 96,
        "best-practices": 96,
        "seo": 91,
        "lcp_ms": 2600.0,
        "cls": 0.2,
    }.items():
        slow = {**good, key: bad, "failing": ["some-audit"]}
        problems = lighthouse.Result("a.html", [slow, slow, good]).problems()
        assert problems and "some-audit" in problems[-1], key


def test_a_third_run_is_made_only_where_it_could_change_the_verdict():
    good = {
        "performance": 99,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
        "lcp_ms": 1200.0,
        "cls": 0.0,
    }
    slow = {**good, "performance": 90}
    late = {**good, "lcp_ms": 3000.0}
    assert lighthouse.Result("a.html", [good, good]).settled(3)
    assert lighthouse.Result("a.html", [slow, slow]).settled(3)
    assert not lighthouse.Result("a.html", [good, slow]).settled(3)
    # both runs miss a limit, but not the same one: a third good run would pass the page
    assert not lighthouse.Result("a.html", [slow, late]).settled(3)
    assert not lighthouse.Result("a.html", [slow, late, good]).problems()
    assert lighthouse.Result("a.html", [slow, late, good]).settled(3)
    assert not lighthouse.Result("a.html", [good]).settled(3)
    # whatever a third run gives, two agreeing runs decide the median of three
    for third in (good, slow, late):
        for pair in ([good, good], [slow, slow]):
            median_of_three = lighthouse.Result("a.html", [*pair, third]).missed()
            assert median_of_three == lighthouse.Result("a.html", pair).missed()
