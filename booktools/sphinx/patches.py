"""Every place where the book's tooling leans on another package's internals.

A Sphinx extension, a template or a helper that overrides or reads what another
package does not offer as its public interface is a patch: it was written
against one version of that package and may break, loudly or silently, with
the next. Each one is listed here with the package, the version it was checked
against, the file to revisit, what it relies on, and the upstream issue (or, where
none exists, one sentence on what upstream gets wrong). The patch itself names
the same package and version in a comment beside the code.

``tests/test_versions.py`` compares every entry with the installed version and
fails, naming the patch and the file, when they differ: an upgrade is then a
reading list, not a surprise. After revisiting a patch, change its version here
and in its comment. The scheduled build against the newest releases
(``.github/workflows/latest.yml``) prints the same list.

    python -m booktools.sphinx.patches     # every patch, and which ones an upgrade touches
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Patch:
    package: str  # the distribution, as pip names it
    version: str  # the version the patch was checked against
    where: str  # the file to revisit, from the project's top folder
    what: str  # what the patch overrides or relies on
    upstream: str  # the upstream issue, or one sentence on what upstream gets wrong

    def installed(self) -> str | None:
        try:
            return metadata.version(self.package)
        except metadata.PackageNotFoundError:
            return None

    def difference(self) -> str | None:
        """Why this patch must be revisited, or None while the installed version is the one checked."""
        installed = self.installed()
        if installed == self.version:
            return None
        found = f"{self.package} {installed} is installed" if installed else "it is not installed"
        return (
            f"{self.where}: {self.what} was checked against {self.package} {self.version}, "
            f"but {found}. Revisit the patch (upstream: {self.upstream}), then record the "
            f"version checked in booktools/sphinx/patches.py and beside the patch."
        )


SPHINX = "7.4.7"
PYDATA_THEME = "0.17.1"
BOOK_THEME = "1.3.0"
MYST_NB = "1.4.0"

PATCHES = (
    Patch(
        "jupyter-book",
        "1.0.4.post1",
        "_config.yml",
        "sphinx.config.extensions replaces Jupyter Book's default extension list, "
        "to leave out sphinx-thebe",
        "https://github.com/jupyter-book/jupyter-book/issues/1603 (no way to turn a default "
        "extension off); sphinx-thebe's inline script is then added twice by Sphinx 7.4, "
        "https://github.com/sphinx-doc/sphinx/pull/13402",
    ),
    Patch(
        "sphinx-sitemap",
        "2.9.0",
        "booktools/sphinx/seo.py",
        "write_every_page: every HTML build writes every page, or the sitemap lists only "
        "the pages written",
        "https://github.com/jdillard/sphinx-sitemap/issues/13",
    ),
    Patch(
        "Sphinx",
        SPHINX,
        "booktools/sphinx/pdf.py",
        "the LaTeX builder's assemble_doctree, env.get_doctree and get_contentsname are "
        "replaced while the book is assembled",
        "https://github.com/sphinx-doc/sphinx/issues/4977 (toctree captions are lost in "
        "LaTeX instead of becoming parts)",
    ),
    Patch(
        "Sphinx",
        SPHINX,
        "booktools/sphinx/epub.py",
        "disconnect_web_only_handlers walks app.events.listeners (not public API) to "
        "disconnect the themes' page handlers from the EPUB builder",
        "Sphinx has no public way to remove another extension's handler for one builder",
    ),
    Patch(
        "sphinx-book-theme",
        BOOK_THEME,
        "booktools/sphinx/epub.py",
        "its html-page-context handlers are disconnected from the EPUB builder",
        "its launch-button handler assumes its own HTML theme and fails on EPUB pages "
        "(cannot unpack NoneType)",
    ),
    Patch(
        "Sphinx",
        SPHINX,
        "booktools/sphinx/epub.py",
        "a node given an epub visitor no longer falls back to the html visitors of "
        "other extensions, so sphinx-exercise's are registered for epub by name",
        "Sphinx looks up translation handlers by builder name before format, all or nothing",
    ),
    Patch(
        "sphinx-exercise",
        "1.2.1",
        "booktools/sphinx/epub.py",
        "its visit_/depart_ functions for exercise_node, exercise_enumerable_node and "
        "solution_node are re-registered for the EPUB builder by name",
        "its nodes are registered for the html format only",
    ),
    Patch(
        "sphinx-exercise",
        "1.2.1",
        "booktools/sphinx/accessibility.py",
        "unique_exercise_ids renames the sections it ids exercise-content and solution-content",
        "every exercise and solution of a page gets the same id, so a page with two repeats it",
    ),
    Patch(
        "myst-nb",
        MYST_NB,
        "booktools/sphinx/accessibility.py",
        "HideCodeCellNode's html visitor is replaced (and its epub visitor in epub.py)",
        'its summary\'s aria-label "Toggle hidden content" differs from the text it shows',
    ),
    Patch(
        "myst-nb",
        MYST_NB,
        "booktools/sphinx/explorables.py",
        'reads every form of a cell output (container nb_element="mime_bundle", a child '
        "container per mime_type) in a post-transform of priority 3, before SelectMimeType "
        "(priority 4) keeps the builder's",
        "none filed: myst-nb offers no public hook between reading a cell's outputs and "
        "choosing one form per builder",
    ),
    Patch(
        "myst-nb",
        MYST_NB,
        "booktools/sphinx/epub.py",
        "the EPUB leaves out style sheets named mystnb.*, and uses HideCodeCellNode",
        "its style sheet nests CSS rules, which EPUB's CSS does not allow, and is written "
        "after the EPUB has been packed",
    ),
    Patch(
        "docutils",
        "0.21.2",
        "booktools/sphinx/accessibility.py",
        'repair_page replaces role="doc-biblioentry" inside the citation list',
        "a role=list holds entries with the deprecated doc-biblioentry role, which a list may "
        "not hold (https://github.com/w3c/dpub-aria/pull/22)",
    ),
    Patch(
        "Sphinx",
        SPHINX,
        "booktools/sphinx/web.py",
        "edit_page replaces entries of the page context's script_files (Sphinx's private "
        "_JavaScript) with copies that carry defer, and drops MathJax's",
        "Sphinx loads MathJax on a page whose toctree lists pages with equations "
        "(https://github.com/sphinx-doc/sphinx/pull/11597) and offers no way to defer "
        "other extensions' scripts",
    ),
    Patch(
        "Sphinx",
        SPHINX,
        "booktools/sphinx/web.py",
        "edit_page keeps one of each script: an extension's inline script registered after "
        'the builder starts (sphinx-togglebutton\'s) is listed twice, as None and as ""',
        "https://github.com/sphinx-doc/sphinx/pull/13402 (fixed in Sphinx 8)",
    ),
    Patch(
        "pydata-sphinx-theme",
        PYDATA_THEME,
        "booktools/sphinx/web.py",
        "edit_page leaves out its inline DOCUMENTATION_OPTIONS.pagename and "
        ".search_as_you_type scripts",
        "they assume documentation_options.js has run, which the book defers; they serve "
        "its version switcher and search-as-you-type, which the book does not use",
    ),
    Patch(
        "pydata-sphinx-theme",
        PYDATA_THEME,
        "booktools/sphinx/head.py",
        "its layout.html writes fontawesome.js, two script preloads and the search scripts "
        "into every page's head; the finishing pass takes them out",
        "https://github.com/pydata/pydata-sphinx-theme/issues/1977 (search tools on every "
        "page for search-as-you-type) and https://github.com/pydata/pydata-sphinx-theme/issues/2379",
    ),
    Patch(
        "sphinx-book-theme",
        BOOK_THEME,
        "booktools/sphinx/head.py",
        "its launch buttons' logos (_static/images/logo_*) load lazily",
        "the logos sit in a closed menu but load with the page",
    ),
    Patch(
        "pydata-sphinx-theme",
        PYDATA_THEME,
        "booktools/sphinx/icons.py",
        "reads the Font Awesome class table of the theme's style sheet and its vendored font "
        "files (theme/pydata_sphinx_theme/static/...), and strips the table from the site's copy",
        "https://github.com/pydata/pydata-sphinx-theme/issues/2379 (fontawesome.js is 1.4 MB)",
    ),
    Patch(
        "sphinx-book-theme",
        BOOK_THEME,
        "booktools/sphinx/icons.py",
        "reads its style sheets for the icon glyphs they draw",
        "its style sheets draw icons with Font Awesome's fonts, which the site subsets",
    ),
    Patch(
        "sphinx-mathjax-offline",
        "0.0.2",
        "booktools/sphinx/maths.py",
        "runs node-main.js of the MathJax copy it ships (static/mathjax) in Node.js",
        "it ships MathJax only as files for the browser; running it at build time relies on "
        "the Node.js entry point inside that copy",
    ),
    Patch(
        "sphinx-book-theme",
        BOOK_THEME,
        "booktools/sphinx/notebooks.py",
        'launch_notebook edits context["header_buttons"], the group labelled launch-buttons',
        "its launch buttons open the page's source suffix (.md), which Colab cannot open",
    ),
    Patch(
        "sphinx-book-theme",
        BOOK_THEME,
        "_config.yml",
        "html_sidebars names the themes' side-bar templates (navbar-logo.html, "
        "icon-links.html, search-button-field.html, sbt-sidebar-nav.html)",
        "a side bar with one more template must list the theme's own by name",
    ),
    Patch(
        "pydata-sphinx-theme",
        PYDATA_THEME,
        "book/_templates/search-button-field.html",
        "overrides the theme's search button template",
        'its aria-label "Search" leaves out the shortcut the button shows (axe-core: '
        "label-content-name-mismatch)",
    ),
    Patch(
        "pydata-sphinx-theme",
        PYDATA_THEME,
        "book/_templates/theme-switcher.html",
        "overrides the theme's colour-mode button template",
        "https://github.com/pydata/pydata-sphinx-theme/pull/1924 gave the icons titles that "
        "the button's label lacks (axe-core: label-content-name-mismatch)",
    ),
    Patch(
        "myst-nb",
        MYST_NB,
        "booktools/builds.py",
        'reads "<chapter>: Executed notebook in <s> seconds" from the build log',
        "myst-nb reports what it executed only in its log",
    ),
    Patch(
        "jupytext",
        "1.19.6",
        "booktools/cells.py",
        "code_cells reads a chapter with jupytext.myst's get_parser and read_fenced_cell, "
        "the functions jupytext reads MyST notebooks with",
        "jupytext reads a notebook's cells but says nowhere which lines of the file each occupies",
    ),
    Patch(
        "jupyter-cache",
        "1.0.1",
        "booktools/fingerprint.py",
        "relies on a notebook's cache key being the text of its code cells (and kernel)",
        "the key leaves out everything a cell runs besides its own text",
    ),
    Patch(
        "sphinxcontrib-bibtex",
        "2.7.0",
        "booktools/sphinx/bibliography.py",
        "AuthorLabelYearReferenceStyle swaps the year node of the author_year referencing "
        "style's templates for the year of the entry's label",
        "none filed: its author-year citations print the year field alone, so two works of "
        "one first author and year are cited alike although the list tells them apart",
    ),
)


def differences(patches=PATCHES) -> list[str]:
    """What an installed version that differs from the one checked asks of each patch."""
    return [message for patch in patches if (message := patch.difference())]


def main() -> int:
    for patch in PATCHES:
        installed = patch.installed() or "not installed"
        mark = "" if installed == patch.version else f"  <- {installed} installed"
        print(f"{patch.package} {patch.version}{mark}\n  {patch.where}: {patch.what}")
    found = differences()
    print(f"\n{len(found)} of {len(PATCHES)} patches to revisit")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
