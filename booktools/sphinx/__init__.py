"""The book's Sphinx extensions, each loaded from _config.yml by its module name.

========================================  ==================================================
extension                                 what it serves
========================================  ==================================================
``booktools.sphinx.seo``                  the web site: descriptions, favicon, social
                                          preview, robots.txt, sitemap, page dates
``booktools.sphinx.web``                  the web site: deferred scripts, then one
                                          finishing pass over the written pages (its
                                          steps: moved_data, figures, head, icons, maths)
``booktools.sphinx.accessibility``        the web site and the EPUB: repairs of other
                                          packages' HTML that axe-core and epubcheck refuse
``booktools.sphinx.pdf``                  the PDF: a book's shape, title page, colophon
``booktools.sphinx.epub``                 the EPUB: no scripts, maths as pictures, widgets
                                          as notes, cover and colophon
``booktools.sphinx.explorables``          every edition: the interactive figures' HTML
                                          written by the build's kernels only; in the PDF
                                          and the EPUB, their picture and web address
``booktools.sphinx.notebooks``            the notebooks: each chapter as .ipynb, and the
                                          launch buttons that open it
``booktools.sphinx.term_tips``            the web site: glossary links drawn as words,
                                          with their definitions on hover and focus
``booktools.sphinx.bibliography``         every edition: the list of references labelled
                                          as the citations read (a pybtex style)
========================================  ==================================================

``colophon`` (what both editions say about themselves) is loaded by ``pdf`` and
``epub``; ``markup`` finds elements in written pages for the finishing pass;
``patches`` lists every place where the tooling leans on another package's
internals, with the version it was checked against (tests/test_versions.py).
One more extension lives beside the tools it shares code with:
``booktools.fingerprint``, which keys the execution cache (a chapter runs again
when what it imports changes) and has the chapters read in _toc.yml's order.

Where the order of handlers matters, it is set by a priority (Sphinx runs lower
first; 500 is the default, and the order of extensions in _config.yml breaks ties):

=====================  ================================  ========  =====================================
event                  handler                           priority  because
=====================  ================================  ========  =====================================
config-inited          ``seo.configure``                 600       after Jupyter Book set ``html_baseurl``
source-read            ``notebooks.keep_text``           900       after booktools.fingerprint marked cell 1
builder-inited         ``epub.on_builder_inited``        100       before the themes' handlers run
html-page-context      ``seo.add_page_metadata``         400       before sphinxext-opengraph (500)
html-page-context      ``seo.date_without_git``          600       after sphinx-last-updated-by-git
html-page-context      ``notebooks.write_notebook``      600       after the theme's launch buttons (501)
html-page-context      ``accessibility.repair_page``     900       late: the page's body as written
html-page-context      ``web.edit_page``                 900       after Sphinx's MathJax scripts (500)
html-page-context      ``epub.drop_scripts``             950       last: the EPUB's pages, no scripts
doctree-resolved       ``epub.replace_interactive_html`` 900       after other extensions' raw HTML
build-finished         ``web.finish_site``               900       after every other extension's
=====================  ================================  ========  =====================================
"""
