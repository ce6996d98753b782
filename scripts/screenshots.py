"""Screenshots of the built pages in the light and the dark theme, to look at.

tests/test_site_browser.py checks both themes by machine (contrast, figures on
light paper); this script makes the pictures a person checks them with. For
each page it opens the built site in Debian's Chromium, with the system colour
scheme set to light and then to dark (the theme follows it), and saves a
screenshot of every figure's region and one of the whole page:

    python scripts/screenshots.py                  # every chapter
    python scripts/screenshots.py book/mnist.html  # one page

The pictures go to _build/screenshots/<page>-<theme>.png and
<page>-<theme>-figure<n>.png.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from booktools import extract_tests, paths
from booktools.browser import launch_chromium, opened_page, serve

THEMES = ("light", "dark")


def shoot(pages: list[str], html: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(html) as base_url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for relative in pages:
            stem = relative.removesuffix(".html").replace("/", "-")
            for theme in THEMES:
                with opened_page(browser, base_url + relative, color_scheme=theme) as opened:
                    target = out / f"{stem}-{theme}.png"
                    opened.page.screenshot(path=target, full_page=True)
                    written.append(target)
                    figures = opened.page.locator("article img")
                    for index in range(figures.count()):
                        if figures.nth(index).is_visible():
                            target = out / f"{stem}-{theme}-figure{index + 1}.png"
                            figures.nth(index).screenshot(path=target)
                            written.append(target)
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "pages", nargs="*", help="pages relative to the site (default: every chapter)"
    )
    parser.add_argument("--html", type=Path, default=paths.HTML, help="the built site")
    parser.add_argument(
        "--out", type=Path, default=paths.BUILD / "screenshots", help="where to write"
    )
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        sys.exit(f"{args.html} holds no built site: run `make book` first")
    pages = args.pages or [
        path.with_suffix(".html").as_posix() for path in extract_tests.toc_files()
    ]
    written = shoot(pages, args.html, args.out)
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
