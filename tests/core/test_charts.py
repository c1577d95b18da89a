"""core.charts: bar charts drop zero rows and zero series, scale bars to the largest value and
describe themselves in words."""

from __future__ import annotations

from django.template.loader import render_to_string

from exhibition.core.charts import Series, bar_chart
from tests.support.html import squash

SERIES = [Series("sent", "Requests sent"), Series("held", "Meetings held"), Series("unused", "Never any")]


def test_bar_chart_leaves_out_zero_rows_and_series_and_scales_bars():
    chart = bar_chart(
        id="c",
        title="Per day",
        series=SERIES,
        rows=[
            ("Tuesday 18 November", {"sent": 1200, "held": 300}),
            ("Wednesday 19 November", {"sent": 0, "held": 0}),
            ("Thursday 20 November", {"sent": 600, "held": 0}),
        ],
    )
    assert [s.label for s in chart.series] == ["Requests sent", "Meetings held"]
    assert [r.label for r in chart.rows] == ["Tuesday 18 November", "Thursday 20 November"]
    assert [(b.series.key, b.width, b.text) for b in chart.rows[0].bars] == [
        ("sent", 82.0, "1,200"),
        ("held", 20.5, "300"),
    ]
    assert [(b.series.key, b.width) for b in chart.rows[1].bars] == [
        ("sent", 41.0)
    ]  # the zero stays in the table only
    assert chart.rows[1].values == ["600", "0"]
    assert chart.summary == (
        "Requests sent: 1,800 in all, most for Tuesday 18 November (1,200). "
        "Meetings held: 300 in all, most for Tuesday 18 November (300)."
    )


def test_the_rest_counts_in_the_total_but_is_never_the_row_with_the_most():
    rows = [("France", {"sent": 756}), ("Israel", {"sent": 134}), ("50 other countries", {"sent": 1123})]
    chart = bar_chart(id="c", title="By country", series=SERIES[:1], rows=rows, last_is_rest=True)
    assert chart.summary == "Requests sent: 2,013 in all, most for France (756)."
    assert [r.label for r in chart.rows][-1] == "50 other countries"  # still drawn, last


def test_an_all_zero_chart_is_empty_and_says_so():
    chart = bar_chart(id="c", title="Per hall", series=SERIES, rows=[("Hall 5A", {"sent": 0})])
    assert chart.empty
    html = render_to_string("events/manage/_chart.html", {"chart": chart})
    assert "Nothing to show yet." in html and "<svg" not in html


def test_chart_template_is_an_accessible_image_with_a_table():
    chart = bar_chart(id="c", title="Per hall <b>", series=SERIES[:1], rows=[("Hall <5A>", {"sent": 3})])
    html = squash(render_to_string("events/manage/_chart.html", {"chart": chart}))
    assert 'role="img" aria-labelledby="c-t c-d"' in html
    assert '<title id="c-t">Per hall &lt;b&gt;</title>' in html
    assert '<th scope="row">Hall &lt;5A&gt;</th><td class="num">3</td>' in html
    assert "<5A>" not in html


def test_the_table_writes_thousands_as_the_chart_does_and_names_its_rows():
    chart = bar_chart(
        id="c", title="By type", series=SERIES[:1], rows=[("Trade visitor", {"sent": 3450})], heading="Type"
    )
    html = squash(render_to_string("events/manage/_chart.html", {"chart": chart}))
    assert '<th scope="row">Trade visitor</th><td class="num">3,450</td>' in html  # not an empty cell
    assert '<th scope="col">Type</th>' in html
