"""The web site's pages, made light and fast in two places, and only two.

1. While Sphinx renders a page, :func:`edit_page` (``html-page-context``) edits the
   page's list of scripts, which its template then writes: each script once, every
   external one deferred, none that the page does not need (MathJax's are left out
   of every page when the build typesets the mathematics itself, Node.js being
   there, and of pages without mathematics otherwise).
2. Once the HTML builder has written every page, :func:`finish_site`
   (``build-finished``) reads each page once, applies :data:`STEPS` in that order,
   and writes each page it changed once. Each step is a module of this package with
   a ``finish(site)`` function that edits ``site.pages`` (and may write site files).

Both run for the HTML builder only (``builder.name == "html"``): the EPUB builder's
format is html too, but Sphinx 7.4 packs the EPUB before ``build-finished``, so a
finishing pass there would change files that never reach the book, and the EPUB's
pages carry no script at all (booktools/sphinx/epub.py).

The page context's scripts are Sphinx 7.4.7's private ``_JavaScript`` objects, copied
here with a ``defer`` attribute, and the handler repairs what Sphinx 7.4.7 and
pydata-sphinx-theme 0.17.1 get wrong there (:func:`edit_page`): patches, listed in
booktools/sphinx/patches.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from booktools.sphinx import figures, head, icons, maths, moved_data, term_tips


@dataclass
class Site:
    """The written web site while it is finished: every page's text, read once."""

    outdir: Path
    pages: dict[Path, str] = field(default_factory=dict)


#: The finishing pass, in order. The order matters where a step acts on another's work:
#: the moved-data step turns an animation's base64 frames into files of _images, which
#: the figures step then compresses and sizes; the others act on parts no other touches.
STEPS: tuple[tuple[str, Callable[[Site], None]], ...] = (
    ("moved data", moved_data.finish),
    ("figures", figures.finish),
    ("head", head.finish),
    ("icons", icons.finish),
    ("maths", maths.finish),
)


def site_pages(outdir: Path) -> list[Path]:
    """The site's pages: every HTML file but the theme's templates in _static."""
    return sorted(
        page for page in outdir.rglob("*.html") if "_static" not in page.relative_to(outdir).parts
    )


def finish(outdir: Path, steps=STEPS) -> list[Path]:
    """Read every page once, apply ``steps`` in order, write each changed page once.

    Returns the pages written.
    """
    site = Site(outdir, {page: page.read_text(encoding="utf-8") for page in site_pages(outdir)})
    written = dict(site.pages)
    for _, step in steps:
        step(site)
    changed = [page for page, text in site.pages.items() if text != written[page]]
    for page in changed:
        page.write_text(site.pages[page], encoding="utf-8")
    return changed


def finish_site(app: Sphinx, exception) -> None:
    if exception is None and app.builder.name == "html":
        finish(Path(app.outdir))


# --- while a page is rendered -----------------------------------------------------------


def loads_mathjax(script) -> bool:
    """Whether a page script is MathJax itself or its inline configuration."""
    body = getattr(script, "attributes", {}).get("body", "")
    return "mathjax" in f"{getattr(script, 'filename', script)} {body}".lower()


def deferred(script):
    """The script, deferred if it is an external one that would block the page."""
    attributes = getattr(script, "attributes", None)
    if attributes is None or not getattr(script, "filename", None):
        return script  # inline: it runs where it stands, before the deferred ones
    if {"defer", "async"} & set(attributes) or attributes.get("type") == "module":
        return script
    return type(script)(script.filename, priority=script.priority, **attributes, defer="defer")


def identity(script) -> tuple:
    """What makes two scripts the same: their file (None and "" alike) and attributes."""
    attributes = getattr(script, "attributes", {})
    return str(getattr(script, "filename", script) or ""), tuple(sorted(attributes.items()))


def sets_page_options(script) -> bool:
    """Whether a script is an inline one that sets DOCUMENTATION_OPTIONS for the page."""
    body = getattr(script, "attributes", {}).get("body", "")
    return body.lstrip().startswith("DOCUMENTATION_OPTIONS.")


def edit_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The page's scripts: each once, deferred, and none that the page does not need.

    - Sphinx 7.4.7 adds the inline script of an extension that registers it after
      the builder starts twice (once as None, once as ""), sphinx-togglebutton's
      among them (https://github.com/sphinx-doc/sphinx/pull/13402): each goes once.
    - pydata-sphinx-theme 0.17.1 sets DOCUMENTATION_OPTIONS.pagename and
      .search_as_you_type inline, for its version switcher and search-as-you-type,
      which the book uses neither of; documentation_options.js, which defines
      DOCUMENTATION_OPTIONS, is deferred, so they would fail before it runs: they go.
    - MathJax's scripts go where nothing needs them: from every page when the
      build typesets the mathematics (booktools/sphinx/maths.py), else from pages
      without mathematics.
    - The glossary links' definitions (booktools/sphinx/term_tips.py) come where a
      page has a glossary link: an ES module, deferred by nature.
    """
    if app.builder.name != "html" or "script_files" not in context:
        return
    body = context.get("body") or ""
    without_mathjax = maths.mathjax() is not None or 'class="math' not in body
    kept, seen = [], set()
    for script in context["script_files"]:
        if identity(script) in seen or sets_page_options(script):
            continue
        if without_mathjax and loads_mathjax(script):
            continue
        seen.add(identity(script))
        kept.append(deferred(script))
    if kept and term_tips.has_term_links(doctree):  # a script object of the page's own kind
        kept.append(type(kept[0])(f"_static/{term_tips.SCRIPT}", priority=500, type="module"))
    context["script_files"] = kept


def check_config(app: Sphinx, config) -> None:
    """Options the finishing pass cannot honour fail the build before it starts."""
    if (config.html_theme_options or {}).get("search_as_you_type"):
        raise ConfigError(
            "_config.yml: search_as_you_type needs the search index on every page, which "
            "booktools/sphinx/head.py leaves out; turn it off (html_theme_options)"
        )


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", check_config)
    # After Sphinx's MathJax support (priority 500) has added its scripts to the page.
    app.connect("html-page-context", edit_page, priority=900)
    # Last, after the other extensions' build-finished handlers (priority 500).
    app.connect("build-finished", finish_site, priority=900)
    # After the theme's style sheets, so that its @font-face rules are overridden.
    app.add_css_file(icons.STYLESHEET, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
