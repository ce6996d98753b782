"""The book's Sphinx extensions, each loaded from _config.yml by its module name."""
