"""Helpers shared by the chapters of *Handwriting Recognition with Neural Networks*.

Chapters import what they use from the modules by name (``handwriting.data``,
``handwriting.models``, ``handwriting.store``, ``handwriting.style``,
``handwriting.figures``, ``handwriting.diagrams``), so the build knows which
helpers each chapter depends on and re-executes it when one of them changes
(booktools/fingerprint.py). Importing the package itself loads nothing else.
"""

import os

# TensorFlow reads these when it is first imported, so they are set here,
# before any chapter imports Keras: they keep its C++ log lines (and the
# oneDNN notice) out of the book's pages. A reader may override them.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
