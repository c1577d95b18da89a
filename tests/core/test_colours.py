"""Colours told apart by people: the qualitative palette of sectors and pavilions."""

from __future__ import annotations

import itertools

from exhibition.core.colours import QUALITATIVE, palette_colour
from exhibition.events.demo import SECTORS


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB #rrggbb."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _distance(a: str, b: str) -> float:  # CIE76 delta E: about 2 is just noticeable
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def test_palette_colours_are_far_apart():
    closest = min(_distance(a, b) for a, b in itertools.combinations(QUALITATIVE, 2))
    assert closest > 25, closest


def test_the_demo_sectors_each_have_their_own_palette_colour():
    colours = [colour for _code, _en, _fr, colour in SECTORS]
    assert sorted(colours) == sorted(QUALITATIVE)
    # the three purples that looked alike before (drones, communications, identity) are now apart
    by_code = {code: colour for code, _en, _fr, colour in SECTORS}
    trio = [by_code["drones"], by_code["communications"], by_code["identity"]]
    assert min(_distance(a, b) for a, b in itertools.combinations(trio, 2)) > 25


def test_palette_colour_wraps_round():
    assert palette_colour(0) == palette_colour(12) == QUALITATIVE[0]
