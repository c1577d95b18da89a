"""Bar charts drawn on the server as inline SVG, readable on a laptop and on a phone.

Each row is a label on its own line with one bar per series below it, so labels never shrink
or collide whatever the width: the bars are laid out in percentages of the chart's width and
the text keeps its size. Rows whose values are all zero and series that are zero everywhere
are left out; a chart with nothing left is empty (the page says so instead of drawing zeros).
The template (``events/manage/_chart.html``) gives the SVG ``role="img"`` with a title and a
summary, and the same figures as a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import formats

LABEL_HEIGHT = 20  # px: one line of 14 px text
BAR_HEIGHT = 16
BAR_GAP = 4
ROW_GAP = 12
MAX_BAR = 82.0  # % of the width: room for the value after the longest bar

PALETTE = ("#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#475569")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str = ""


@dataclass
class Bar:
    series: Series
    value: int | float
    text: str
    y: int
    width: float  # % of the chart width
    text_x: float  # %


@dataclass
class Row:
    label: str
    y: int  # baseline of the label
    bars: list[Bar] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # per series, for the table


@dataclass
class Chart:
    id: str
    title: str
    series: list[Series]
    rows: list[Row]
    height: int
    summary: str
    unit: str = ""
    heading: str = ""  # the table's first column: what each row is ("Day", "Country")

    @property
    def empty(self) -> bool:
        return not self.rows


def bar_chart(
    *,
    id: str,
    title: str,
    rows: Sequence[tuple[str, Mapping[str, int | float]]],
    series: Sequence[Series],
    unit: str = "",
    last_is_rest: bool = False,
    heading: str = "",
) -> Chart:
    """``rows``: (label, {series key: value}) in the order to show them. ``last_is_rest``: the last
    row sums the rows left out ("50 other countries"): it counts in the totals, but the summary's
    "most for" names a row of its own."""
    keep = [s for s in series if any(values.get(s.key, 0) for _label, values in rows)]
    keep = [Series(s.key, s.label, s.colour or PALETTE[i % len(PALETTE)]) for i, s in enumerate(keep)]
    shown = [(label, values) for label, values in rows if any(values.get(s.key, 0) for s in keep)]
    top = max([values.get(s.key, 0) for _label, values in shown for s in keep] or [1]) or 1
    out, y = [], 0
    for label, values in shown:
        row = Row(label=str(label), y=y + 15)
        y += LABEL_HEIGHT
        for s in keep:
            v = values.get(s.key, 0) or 0
            text = formats.number(v)
            row.values.append(text)
            if not v:  # a zero stays in the table, not as an empty bar
                continue
            w = round(MAX_BAR * v / top, 2)
            row.bars.append(
                Bar(series=s, value=v, text=text, y=y, width=max(w, 0.4), text_x=round(w + 1.5, 2))
            )
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP
        out.append(row)
    return Chart(
        id=id,
        title=str(title),
        series=keep,
        rows=out,
        height=max(y - ROW_GAP, 0),
        summary=_summary(
            shown, keep, rest=shown[-1] if last_is_rest and shown and shown[-1][0] == rows[-1][0] else None
        ),
        unit=unit,
        heading=str(heading),
    )


def _summary(rows, series: list[Series], rest=None) -> str:
    parts = []
    own = [row for row in rows if row is not rest] or rows
    for s in series:
        total = sum(values.get(s.key, 0) or 0 for _label, values in rows)
        best_label, best = max(
            ((label, values.get(s.key, 0) or 0) for label, values in own), key=lambda p: p[1]
        )
        parts.append(
            _("%(series)s: %(total)s in all, most for %(label)s (%(value)s).")
            % {
                "series": s.label,
                "total": formats.number(total),
                "label": best_label,
                "value": formats.number(best),
            }
        )
    return " ".join(parts)
