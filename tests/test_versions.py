"""Every patch of another package's internals was checked against the version installed.

booktools/sphinx/patches.py lists each patch with its package, the version it was
checked against, the file to revisit and the upstream issue. An upgrade of that
package fails here with a message that names all of them, so that it is made on
purpose: revisit the patch, then record the version checked in both places.
"""

import pytest

from booktools import paths
from booktools.sphinx import patches

pytestmark = pytest.mark.unit

PATCHES = patches.PATCHES
IDS = [f"{patch.package}:{patch.where}" for patch in PATCHES]


@pytest.mark.parametrize("patch", PATCHES, ids=IDS)
def test_the_installed_version_is_the_one_the_patch_was_checked_against(patch):
    message = patch.difference()
    assert message is None, message


@pytest.mark.parametrize("patch", PATCHES, ids=IDS)
def test_the_patch_names_its_package_and_version_beside_the_code(patch):
    path = paths.ROOT / patch.where
    assert path.is_file(), f"booktools/sphinx/patches.py names {patch.where}, which is gone"
    text = path.read_text(encoding="utf-8")
    if patch.where.startswith("handwriting/"):
        # The chapters' helpers carry no notes on the tooling; the registry does.
        assert patch.package in text, f"{patch.where} does not use {patch.package}"
    else:
        assert f"{patch.package} {patch.version}" in text, (
            f"{patch.where} should name {patch.package} {patch.version} beside the patch"
        )


def test_every_patch_says_where_upstream_stands():
    for patch in PATCHES:
        assert patch.upstream.strip() and patch.what.strip(), patch


def test_a_different_version_fails_naming_the_patch_its_file_and_the_versions():
    patch = patches.Patch("Sphinx", "0.1", "booktools/sphinx/pdf.py", "the LaTeX builder", "#1")
    message = patch.difference()
    assert message is not None
    for part in ("booktools/sphinx/pdf.py", "the LaTeX builder", "Sphinx 0.1", "#1"):
        assert part in message, part
    assert f"Sphinx {patch.installed()} is installed" in message
    gone = patches.Patch("no-such-package-here", "1", "x.py", "y", "z").difference()
    assert "not installed" in gone
