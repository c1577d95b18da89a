"""Textures drawn over a colour so that colour is never the only cue (WCAG 1.4.1): the floor
plan's stands and the swatches of its legend use the same ones."""

from __future__ import annotations

from html import escape

# The content of one square tile of side 1 (scaled by the pattern's size).
PATTERN_TILES = {
    "diag": '<path d="M-0.25,0.25 l0.5,-0.5 M0,1 l1,-1 M0.75,1.25 l0.5,-0.5" stroke-width="0.14"/>',
    "back": '<path d="M-0.25,0.75 l0.5,0.5 M0,0 l1,1 M0.75,-0.25 l0.5,0.5" stroke-width="0.14"/>',
    "dots": '<circle cx="0.5" cy="0.5" r="0.17" stroke="none"/>',
    "cross": '<path d="M0,0 l1,1 M1,0 l-1,1" stroke-width="0.12"/>',
    "vert": '<path d="M0.5,0 v1" stroke-width="0.16"/>',
    "horiz": '<path d="M0,0.5 h1" stroke-width="0.16"/>',
    "grid": '<path d="M0.5,0 v1 M0,0.5 h1" stroke-width="0.12"/>',
}
PATTERN_INK = "#0f172a"


def pattern_def(element_id: str, name: str, size: float) -> str:
    """A ``<pattern>`` with ``element_id`` drawing texture ``name`` in tiles of ``size`` user units."""
    s = f"{size:g}"
    return (
        f'<pattern id="{escape(element_id)}" patternUnits="userSpaceOnUse" width="{s}" height="{s}">'
        f'<g transform="scale({s})" stroke="{PATTERN_INK}" fill="{PATTERN_INK}" opacity="0.45">'
        f"{PATTERN_TILES[name]}</g></pattern>"
    )
