# Two commands matter (see README.md):
#   make book   sets up .venv if needed and builds the HTML book into _build/html
#   make test   brings the book up to date (cached, so quick), then runs the tests
# Offline, point the book at a local MNIST first: export MNIST_NPZ=/path/to/mnist.npz

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

# Chapters run in book/, tests at the top: a relative MNIST_NPZ is made absolute
# so that it names the same file for both.
ifdef MNIST_NPZ
export MNIST_NPZ := $(abspath $(MNIST_NPZ))
endif

.PHONY: book setup test clean

book: setup
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going

test: book
	$(BIN)/python -m pytest

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
