"""Helpers shared by the chapters of *Handwriting Recognition with Neural Networks*.

Only what several chapters need lives here: loading MNIST, the plot style and
figures drawn more than once. The Keras code a reader learns from stays in
the chapters.
"""

import os

# TensorFlow reads these when it is first imported, so they are set here,
# before any chapter imports Keras: they keep its C++ log lines (and the
# oneDNN notice) out of the book's pages. A reader may override them.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from .data import ENV_VAR, MnistFileError, load_mnist  # noqa: E402
from .figures import show_digits  # noqa: E402
from .style import use_book_style  # noqa: E402

__all__ = ["ENV_VAR", "MnistFileError", "load_mnist", "show_digits", "use_book_style"]
