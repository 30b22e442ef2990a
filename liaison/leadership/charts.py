"""Charts as SVG made on the server, from a snapshot's tables (the figures are in the tables
beside them too). Written by hand: pygal and matplotlib write inline styles (and pygal a
script), which the content security policy blocks (README, libraries), and a bar chart is a few
rectangles. No script and no style attribute: colours are classes of
``leadership/leadership.css`` and presentation attributes."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from liaison.leadership import labels

WIDTH = 640
BAR = 18
GAP = 6
LABEL_WIDTH = 200


def bars(title: str, items: list[tuple[str, int]]) -> SafeString:
    """Horizontal bars, one per (label, value)."""
    top = max((value for _label, value in items), default=0) or 1
    height = len(items) * (BAR + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {max(height, BAR + 2 * GAP)}" width="{WIDTH}" '
        f'height="{max(height, BAR + 2 * GAP)}"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        y = GAP + i * (BAR + GAP)
        width = round(span * value / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR - 4}" text-anchor="end" '
            f'class="chart-label">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" class="bar"/>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + BAR - 4}" class="chart-value">'
            f"{value}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def stacked(title: str, rows: list[tuple[str, list[int]]], series: list[str]) -> SafeString:
    """Vertical stacked bars, one per row (a day), one colour per series (a board group)."""
    top = max((sum(values) for _label, values in rows), default=0) or 1
    plot, left, column = 200, 40, max((WIDTH - 40) // max(len(rows), 1), 8)
    height = plot + 60 + 18 * len(series)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (label, values) in enumerate(rows):
        x = left + i * column
        y = plot + 10
        for s, value in enumerate(values):
            h = round(plot * value / top)
            y -= h
            parts.append(
                f'<rect x="{x}" y="{y}" width="{column - 4}" height="{h}" class="series-{s}">'
                f"<title>{escape(label)} {escape(series[s])}: {value}</title></rect>"
            )
        parts.append(
            f'<text x="{x + (column - 4) / 2}" y="{plot + 26}" text-anchor="middle" '
            f'class="chart-label">{escape(label[5:])}</text>'
        )
    for s, name in enumerate(series):
        y = plot + 44 + 18 * s
        parts.append(
            f'<rect x="{left}" y="{y}" width="12" height="12" class="series-{s}"/>'
            f'<text x="{left + 18}" y="{y + 11}" class="chart-label">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


BAR_TABLES = (
    "pipeline.nationality",
    "pipeline.jurisdiction",
    "pipeline.disposition",
    "assistance.category",
    "duty.incidents",
)


def for_snapshot(snap: dict) -> dict[str, SafeString]:
    """The dashboard's charts: the days stacked by group, and bars for the breakdowns."""
    from liaison.leadership.present import table_of

    charts = {}
    days = table_of(snap, "pipeline.days")
    if days:
        series = [labels.render(col) for col in days["cols"][1:]]
        rows = [
            (r["label"][1], [c["value"] for c in r["cells"][1:]]) for r in reversed(days["rows"])
        ]
        charts["pipeline.days"] = stacked(labels.render(["metric", "last_14_days"]), rows, series)
    for key in BAR_TABLES:
        tab = table_of(snap, key)
        if tab and tab["rows"]:
            items = [(labels.render(r["label"]), r["cells"][0]["value"]) for r in tab["rows"][:15]]
            charts[key] = bars(str(labels.TABLES[key]), items)
    return charts
