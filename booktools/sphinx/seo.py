"""What makes the web site findable, shareable and dated, beyond the pages themselves.

- A ``<meta name="description">`` on every page, from the ``description`` of
  its front matter (and the same text as its Open Graph description).
  A page without one is a build warning, and so, with ``-W``, an error.
- A favicon and a social preview image (Open Graph, Twitter card), both drawn
  here with matplotlib in the book's colours when the site is built; nothing
  binary is kept in the repository.
- ``robots.txt``, pointing at the sitemap that sphinx-sitemap writes.
- Canonical URLs, the sitemap and the Open Graph URLs all come from one
  setting, ``html.baseurl`` in _config.yml (Sphinx's ``html_baseurl``).
- The date a page last changed: sphinx-last-updated-by-git reads it from git;
  outside a git checkout (a tarball of the sources, say) the source file's
  modification date is shown instead.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

FAVICON = "_static/favicon.png"
SOCIAL_PREVIEW = "_static/social-preview.png"
#: Open Graph's recommended size for a preview: 1200 by 630 pixels.
PREVIEW_SIZE = (12.0, 6.3)
#: The colours of handwriting/style.py (its PALETTE), which colour-blind readers tell apart.
BLUE, ORANGE, SKY, INK = "#0072B2", "#E69F00", "#56B4E9", "#222222"


def configure(app: Sphinx, config) -> None:
    """Point the Open Graph and sitemap extensions at the one base URL."""
    base = config.html_baseurl
    if not base:
        return
    if not base.endswith("/"):
        config.html_baseurl = base = base + "/"
    config.ogp_site_url = base
    config.ogp_site_name = title = config.html_title or config.project
    config.ogp_image = SOCIAL_PREVIEW
    config.ogp_image_alt = f"{title}: a small neural network drawn as circles and lines."
    # The 404 page is served for a missing page at any depth: its links start at the site's root.
    config.notfound_urls_prefix = urlsplit(base).path
    config.ogp_social_cards = {"enable": False}
    config.ogp_custom_meta_tags = [
        '<meta name="twitter:card" content="summary_large_image" />',
    ]


def page_description(app: Sphinx, pagename: str) -> str | None:
    metadata = app.env.metadata.get(pagename) or {}
    text = metadata.get("description")
    return " ".join(str(text).split()) if text else None


def add_page_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Before sphinxext-opengraph (priority 500): the description, the favicon."""
    context["favicon_url"] = FAVICON.removeprefix("_static/")  # Sphinx makes it relative to _static
    if doctree is None:  # genindex, search: generated pages, described by their title
        return
    description = page_description(app, pagename)
    if description is None:
        logger.warning(
            "%s has no description in its front matter (the search engines' summary)",
            pagename,
            location=pagename,
            type="seo",
        )
        return
    context.setdefault("metatags", "")
    context["metatags"] += f'\n<meta name="description" content="{html.escape(description)}" />'
    meta = context.get("meta")
    if meta is not None:
        meta["og:description"] = description


def date_without_git(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """After sphinx-last-updated-by-git: a page it found no date for gets its file's date."""
    if doctree is None or context.get("last_updated") or not app.config.html_last_updated_fmt:
        return
    source = Path(app.env.doc2path(pagename))
    if source.is_file():
        changed = dt.datetime.fromtimestamp(source.stat().st_mtime, dt.UTC)
        context["last_updated"] = changed.strftime(app.config.html_last_updated_fmt)


def draw_favicon(path: Path) -> None:
    """A handwritten-looking 7 in white on the book's blue, as a 64-pixel PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    fig = plt.figure(figsize=(1, 1), dpi=64)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    fig.patch.set_alpha(0)
    ax.add_patch(
        FancyBboxPatch(
            (0.04, 0.04), 0.92, 0.92, boxstyle="round,pad=0,rounding_size=0.2", color=BLUE
        )
    )
    ax.plot(
        [0.26, 0.74, 0.44],
        [0.76, 0.78, 0.2],
        color="white",
        linewidth=7,
        solid_capstyle="round",
        solid_joinstyle="round",
    )
    ax.plot([0.38, 0.66], [0.5, 0.5], color="white", linewidth=5, solid_capstyle="round")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=64, transparent=True)
    plt.close(fig)


def draw_social_preview(path: Path, title: str) -> None:
    """A 1200 by 630 card: the book's title beside a small fully connected network."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=PREVIEW_SIZE, dpi=100, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 6.3)
    ax.axis("off")
    columns = [(7.4, 6, SKY), (9.2, 5, BLUE), (11.0, 4, ORANGE)]
    points = []
    for x, count, color in columns:
        ys = [3.15 + (i - (count - 1) / 2) * 0.8 for i in range(count)]
        points.append([(x, y, color) for y in ys])
    for left, right in itertools.pairwise(points):
        for x0, y0, _ in left:
            for x1, y1, _ in right:
                ax.plot([x0, x1], [y0, y1], color="#9a9a9a", linewidth=0.8, zorder=1)
    for column in points:
        for x, y, color in column:
            ax.add_patch(plt.Circle((x, y), 0.24, color=color, zorder=2))
    lines = textwrap.wrap(title, 17)  # clear of the network on the right
    ax.text(
        0.6, 4.9, "\n".join(lines), fontsize=34, weight="bold", color=INK, va="top", linespacing=1.3
    )
    ax.text(
        0.6,
        4.9 - 0.85 * len(lines) - 0.5,
        "An executable book:\nKeras and MNIST, one step at a time",
        fontsize=17,
        color="#444444",
        va="top",
        linespacing=1.4,
    )
    ax.add_patch(plt.Rectangle((0, 0), 12, 0.35, color=BLUE))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, facecolor="white")
    plt.close(fig)


def write_site_files(app: Sphinx, exception) -> None:
    """The favicon, the social preview and robots.txt, for the web site (not the EPUB)."""
    if exception is not None or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    draw_favicon(outdir / FAVICON)
    from PIL import Image

    with Image.open(outdir / FAVICON) as icon:  # for browsers that ask for /favicon.ico
        icon.save(outdir / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    draw_social_preview(outdir / SOCIAL_PREVIEW, app.config.html_title or app.config.project)
    lines = ["User-agent: *", "Allow: /"]
    if app.config.html_baseurl:
        lines.append(f"Sitemap: {app.config.html_baseurl}sitemap.xml")
    (outdir / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_every_page(app: Sphinx, env) -> list[str]:
    """Have the HTML builder write every page, not only the pages that changed.

    A patch for sphinx-sitemap 2.9.0 (booktools/sphinx/patches.py): it lists
    only the pages a build writes, so a build that wrote three pages would leave
    a sitemap of three (https://github.com/jdillard/sphinx-sitemap/issues/13).
    Writing is quick: no page is read or executed again for it. The EPUB
    builder writes every page anyway, into a folder made afresh.
    """
    return sorted(env.found_docs) if app.builder.name == "html" else []


def setup(app: Sphinx) -> dict:
    app.connect("env-get-updated", write_every_page)
    app.connect("config-inited", configure, priority=600)
    app.connect("html-page-context", add_page_metadata, priority=400)
    app.connect("html-page-context", date_without_git, priority=600)
    app.connect("build-finished", write_site_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
