"""Large data that a code cell wrote into its page, moved out into files of their own.

A page's own document should stay small and paint first. This step of the
finishing pass moves, from every page, into files named by their content:

- a ``<script type="application/json">`` of more than 20 kB (the drawing page's
  weights) to ``_static/data/``; its element stays, empty, with a ``src`` that its
  page's script fetches;
- a PNG image written in as base64 (an animation's frames) to ``_images/``; its
  ``data:`` address becomes the file's.

Files left over from earlier builds that no page names are deleted. The figures
step runs after this one, so that it sizes and compresses the moved frames too.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

from booktools.sphinx import markup

#: Inline data of more characters than this leaves the page for a file of its own.
MIN_MOVED = 20_000
#: A data URL of a PNG, wherever the page has one (an attribute, or a script's string).
INLINE_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
DATA = ("_static", "data")
FRAMES = ("_images",)
FRAME_PREFIX = "inline-"


def _write_once(path: Path, content: bytes) -> None:
    if not path.is_file() or path.read_bytes() != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def move_data_out(text: str, page: Path, outdir: Path) -> str:
    """The page with its large inline JSON and its base64 PNG images moved into files."""

    def address(path: Path) -> str:
        return Path(os.path.relpath(path, page.parent)).as_posix()

    edits = []
    for element in markup.elements(text, "script"):
        content = element.content(text)
        if element.attrs.get("type") != "application/json" or "src" in element.attrs:
            continue
        if len(content) <= MIN_MOVED:
            continue
        data = content.encode("utf-8")
        stem = element.attrs.get("id") or "data"
        path = outdir.joinpath(*DATA, f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}.json")
        _write_once(path, data)
        start_tag = element.start_tag(text)
        edits.append(
            (element.start, element.end, f'{start_tag[:-1]} src="{address(path)}"></script>')
        )
    text = markup.splice(text, edits)

    def png_file(match: re.Match) -> str:
        data = base64.b64decode(match.group(1))
        digest = hashlib.sha256(data).hexdigest()[:16]
        path = outdir.joinpath(*FRAMES, f"{FRAME_PREFIX}{digest}.png")
        _write_once(path, data)
        return address(path)

    return INLINE_PNG.sub(png_file, text)


def delete_unnamed_files(outdir: Path, pages: list[str]) -> None:
    """Delete the moved-out files of earlier builds that no page names any more."""
    named = {name for text in pages for name in re.findall(r"[\w.-]+\.(?:json|png)", text)}
    moved = list(outdir.joinpath(*DATA).glob("*.json"))
    moved += outdir.joinpath(*FRAMES).glob(f"{FRAME_PREFIX}*.png")
    for path in moved:
        if path.name not in named:
            path.unlink()


def finish(site) -> None:
    """The finishing pass's step: every page's large data out, then the leftovers deleted."""
    for page, text in site.pages.items():
        site.pages[page] = move_data_out(text, page, site.outdir)
    delete_unnamed_files(site.outdir, list(site.pages.values()))
