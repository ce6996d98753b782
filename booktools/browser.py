"""Helpers for tests that open the built site in a real, headless browser.

The book's interactive pages are tested in Debian's Chromium, driven by
Playwright for Python (no browser download: Playwright is pointed at
``/usr/bin/chromium``). A test typically does::

    from booktools.browser import chromium_or_skip, launch_chromium, opened_page, serve

    def test_page(playwright_browser):            # a fixture that yields launch_chromium(...)
        with serve(HTML) as base_url:             # the built site on http://127.0.0.1:<port>/
            with opened_page(playwright_browser, base_url + "book/mnist.html") as opened:
                ...                               # opened.page, the Playwright page
                assert not opened.errors          # console errors, uncaught exceptions, failed loads
                assert not opened.requests.outside  # anything not for this machine is aborted

For pages that need more control (a context kept open, an init script),
``collect_errors`` and ``watch_requests`` are the pieces ``opened_page`` uses,
and ``WatchedPage`` keeps such a page open for a module's tests.
``site_in_chromium`` does the usual set-up of a module's tests in one step: the
built site served, Chromium launched, axe-core present; ``chromium`` launches
Chromium alone, and ``screenshot_folder`` says where screenshots go.

Everything here is general; nothing knows about a particular page.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from booktools import paths
from booktools.optional import skip_or_fail

#: Debian's Chromium (``apt-get install chromium``).
CHROMIUM = Path("/usr/bin/chromium")

#: Flags for a quiet, self-contained headless Chromium: no sandbox (tests may
#: run as root in a container), no GPU, and none of the background traffic a
#: browser starts on its own (updates, sync, first-run pages), so that every
#: request a test sees comes from the page.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Hosts that count as "this machine": requests to any other host are aborted.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


#: What a web host compresses (GitHub Pages among them): text, not images or fonts.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files like ``python -m http.server``, without a log line per request.

    Like a real web host, it sends text gzip-compressed to a browser that
    accepts it, so that the bytes a page transfers here are the bytes it
    transfers from the published site.
    """

    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass

    def do_GET(self):  # noqa: N802 - the name http.server calls
        path = Path(self.translate_path(self.path))
        kind = self.guess_type(str(path))
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not path.is_file()
            or not kind.startswith(COMPRESSED_TYPES)
        ):
            return super().do_GET()
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


@functools.lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """``path`` compressed as a web host would; cached per file version (``mtime_ns``)."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@contextlib.contextmanager
def serve(directory: Path | str) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1, on a free port, in a background thread.

    Yields the base URL, ending in a slash (``http://127.0.0.1:<port>/``); the
    server is shut down when the ``with`` block ends.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"nothing to serve: {directory} is not a directory")
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {directory}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def chromium_or_skip() -> None:
    """Skip the calling test when Chromium or Playwright is missing; under CI, fail instead.

    CI (the ``CI`` environment variable is set) installs both, so a missing one
    there is an error, not a reason to skip.
    """
    problems = []
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        problems.append(f"Debian's Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("Playwright for Python is missing (pip install -r requirements.txt)")
    if problems:
        skip_or_fail("; ".join(problems))


def launch_chromium(playwright, **options):
    """Launch Debian's headless Chromium through a started Playwright (``sync_playwright().start()``).

    Keyword arguments go to ``playwright.chromium.launch`` (``headless``,
    ``slow_mo`` ...); extra command-line flags can be added with ``args=[...]``.
    """
    args = CHROMIUM_ARGS + list(options.pop("args", []))
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=args, **options)


def is_local(url: str) -> bool:
    """True for URLs that never leave this machine: 127.0.0.1/localhost, data: and blob: URLs."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class Requests:
    """What a page asked for: every URL, and those aborted because they were not local."""

    seen: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def watch_requests(target) -> Requests:
    """Abort every request of ``target`` (a page or a browser context) that is not local.

    Returns a :class:`Requests` that fills up as the page loads: ``seen`` lists
    every request, ``outside`` the ones aborted. Install it before ``goto``.
    """
    requests = Requests()

    def route(route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            requests.outside.append(url)
            route.abort("blockedbyclient")

    target.route("**/*", route)
    target.on("request", lambda request: requests.seen.append(request.url))
    return requests


def collect_errors(page) -> list[str]:
    """Collect the page's console errors and uncaught exceptions, as they happen.

    Returns a list that fills up while the page runs; a test asserts it is
    empty at the end. Failed requests show up here too, since Chromium logs
    them to the console as errors.
    """
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            errors.append(f"console error: {message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    return errors


@dataclass
class OpenPage:
    """A page opened by :func:`opened_page`, with what it did while loading."""

    page: object
    errors: list[str]
    requests: Requests


@contextlib.contextmanager
def opened_page(browser, url: str, color_scheme: str = "light", **options) -> Iterator[OpenPage]:
    """Open ``url`` in a fresh context (an empty cache), watched, and close it afterwards.

    Outside requests are aborted (``requests``); console errors, uncaught
    exceptions and failed requests are collected (``errors``). Returns once
    the network is idle. ``color_scheme`` is the system's, which the theme
    follows; other keyword arguments go to ``browser.new_page`` (the default
    viewport is 1280 by 900).
    """
    options.setdefault("viewport", {"width": 1280, "height": 900})
    page = browser.new_page(color_scheme=color_scheme, **options)
    try:
        errors = collect_errors(page)
        requests = watch_requests(page)
        page.on(
            "requestfailed",
            lambda request: errors.append(f"failed: {request.url} ({request.failure})"),
        )
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        yield OpenPage(page, errors, requests)
    finally:
        page.close()


#: axe-core, from npm (package.json; `make test` runs npm ci).
AXE = paths.NODE_MODULES / "axe-core" / "axe.min.js"


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's headless Chromium, launched through Playwright; skips the test without them."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


class WatchedPage:
    """A page open in a context of its own, its console errors and requests watched.

    ``ready``, a JavaScript expression, is waited for once the page has loaded;
    ``theme`` ("light" or "dark") is stored as the theme's switcher stores it,
    before the page loads. Other keyword arguments go to ``browser.new_context``
    (a viewport, a colour scheme, touch ...). ``close()`` closes the context.
    """

    def __init__(self, browser, url: str, ready: str | None = None, theme=None, **options):
        self.context = browser.new_context(**options)
        self.requests = watch_requests(self.context)
        if theme:
            self.context.add_init_script(
                f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
            )
        self.page = self.context.new_page()
        self.errors = collect_errors(self.page)
        self.page.goto(url)
        if ready:
            self.page.wait_for_function(ready)

    def close(self) -> None:
        self.context.close()


def screenshot_folder(prefix: str) -> Path:
    """Where a test keeps its screenshots: ``BROWSER_SCREENSHOTS``, or a new temporary folder."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    path = Path(folder) if folder else Path(tempfile.mkdtemp(prefix=prefix))
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def site_in_chromium(directory: Path = paths.HTML) -> Iterator[tuple[object, str]]:
    """Chromium, and the built site in ``directory`` served: yields (browser, base URL).

    Skips the calling test when Chromium or Playwright is missing (fails under
    CI), and fails it when the site has not been built or axe-core is missing.
    """
    import pytest

    chromium_or_skip()
    if not (Path(directory) / "index.html").is_file():
        pytest.fail(f"{directory} holds no built site: run `make book` first")
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    with serve(directory) as base_url, chromium() as browser:
        yield browser, base_url


def axe_violations(page, rules=None, within=None) -> list[str]:
    """The serious and critical violations axe-core finds in the page, one line each.

    ``within``, a CSS selector, audits that part of the page alone.
    """
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    results = page.evaluate(
        """async ([options, within]) => {
             const r = await axe.run(within ? {include: [within]} : document, options);
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
           }""",
        [options, within],
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}"
        for v in results
        if v["impact"] in ("serious", "critical")
    ]
