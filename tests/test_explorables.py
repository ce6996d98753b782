"""The interactive figures' two halves that need no browser.

handwriting/explorables.py writes a figure's cell output: the explorable and
its data beside the picture for print, in the book's build only.
booktools/sphinx/explorables.py puts a note with the figure's web address after
such a figure in the PDF and the EPUB, here on a small document made in the
test. tests/test_interactive_figures.py opens the figures themselves in Chromium.
"""

from types import SimpleNamespace

import numpy as np
import pytest
from docutils import nodes
from docutils.utils import new_document

pytestmark = pytest.mark.unit


def test_a_cell_writes_the_explorable_only_in_the_books_build(monkeypatch):
    """A reader's notebook has no site scripts: there the cell shows its figure, as any cell."""
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from handwriting import explorables

    InteractiveShell.instance()
    figure, ax = plt.subplots()
    ax.plot([0, 1])
    monkeypatch.delenv(explorables.BUILD_VAR, raising=False)
    with capture_output() as captured:
        explorables.show_explorable("neuron", figure, x=np.arange(3.0))
    assert not captured.outputs and plt.fignum_exists(figure.number)
    monkeypatch.setenv(explorables.BUILD_VAR, "1")
    with capture_output() as captured:
        explorables.show_explorable("neuron", figure, x=np.arange(3.0))
    (output,) = captured.outputs
    assert set(output.data) == {"text/html", "text/plain", "image/png", "application/pdf"}
    assert (
        'data-explorable="neuron"' in output.data["text/html"]
        and "[0.0, 1.0, 2.0]" in (output.data["text/html"])
    )
    assert not plt.fignum_exists(figure.number), "the figure is shown once, in the bundle"
    with pytest.raises(ValueError, match="from 0 to 1"):
        explorables.byte_image(np.full((2, 2), 255.0))


def cell_output(html: str) -> nodes.container:
    """A cell's output as myst-nb 1.4.0 keeps it until it picks one form per builder."""
    bundle = nodes.container(nb_element="mime_bundle")
    for kind, child in (
        ("text/html", nodes.raw("", html, format="html")),
        ("image/png", nodes.image(uri="figure.png")),
    ):
        form = nodes.container(mime_type=kind)
        form += child
        bundle += form
    return bundle


def test_a_figure_interactive_on_the_web_is_followed_by_its_address_in_print():
    from booktools.sphinx.explorables import InteractiveFigureNote

    app = SimpleNamespace(config=SimpleNamespace(book_web_address="https://example.org/book/"))
    document = new_document("index.md")
    # the PDF resolves the whole book as its root page: the figure's page is its source's
    document.settings.env = SimpleNamespace(
        app=app, docname="book/welcome", path2doc=lambda source: source.removesuffix(".md")
    )
    section = nodes.section()
    for name, html in (("fig-moved", '<div data-explorable="x"></div>'), ("fig-still", "<p>x</p>")):
        figure = nodes.figure(ids=[name])
        figure.source = "book/page.md"
        figure += cell_output(html)
        section += figure
    document += section
    InteractiveFigureNote(document).run()
    moved, note, still = section.children
    assert isinstance(note, nodes.note) and isinstance(still, nodes.figure), section.pformat()
    (link,) = note.findall(nodes.reference)
    assert link["refuri"] == "https://example.org/book/book/page.html#fig-moved"
    assert note.astext().startswith("This figure is interactive on the web: open it at")
