"""The /insights page: the moderators' insights as HTML with inline SVG charts, no scripts."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.insights import Insights

#: Colour-blind-safe palette (Okabe-Ito), one colour per series in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 720, 220, 36, 28, 12
#: The legend: two entries a row, each column wide enough for the longest label and its count
#: ("third-party-account-misuse (9999)" is about 230 px at 12 px), one row every 24 px.
LEGEND_COLUMNS, LEGEND_COLUMN_WIDTH, LEGEND_ROW = 2, 340, 24


def stacked_bars_svg(title: str, days: tuple[date, ...], series: dict[str, tuple[int, ...]]) -> str:
    """Return an inline SVG: one stacked bar per day, one colour per series, with a legend."""
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    totals = [sum(s[i] for s in series.values()) for i in range(len(days))]
    top = max(totals, default=0) or 1
    slot = plot_w / max(len(days), 1)
    bar = max(slot * 0.8, 1.0)
    rows = (len(series) + LEGEND_COLUMNS - 1) // LEGEND_COLUMNS
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {HEIGHT + LEGEND_ROW * rows}" '
        f'class="chart" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - 8}" y2="{PAD_TOP + plot_h}" stroke="#888"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, day in enumerate(days):
        x = PAD_LEFT + i * slot + (slot - bar) / 2
        y = float(PAD_TOP + plot_h)
        for n, (name, counts) in enumerate(series.items()):
            if not counts[i]:
                continue
            h = counts[i] / top * plot_h
            y -= h
            colour = PALETTE[n % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(name)}: {counts[i]} on {day:%d %b}</title></rect>"
            )
    ticks = sorted({0, len(days) // 2, len(days) - 1}) if days else []
    for i in ticks:
        x = PAD_LEFT + i * slot + slot / 2
        parts.append(
            f'<text x="{x:.1f}" y="{PAD_TOP + plot_h + 16}" text-anchor="middle" font-size="11">'
            f"{days[i]:%d %b}</text>"
        )
    for n, name in enumerate(series):
        lx = PAD_LEFT + (n % LEGEND_COLUMNS) * LEGEND_COLUMN_WIDTH
        ly = HEIGHT + LEGEND_ROW * (n // LEGEND_COLUMNS) + 4
        colour = PALETTE[n % len(PALETTE)]
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 18}" y="{ly + 11}" font-size="12">{escape(name)} ({sum(series[name])})</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(insights: Insights, *, title: str = "policybot insights") -> str:
    """Return the whole insights page: charts by clause and label, steps and disputes tables."""
    i = insights
    clause_series = {f"clause {k}": v for k, v in i.by_clause.items()}
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{i.since:%d %b %Y} to {i.until:%d %b %Y} (UTC): <strong>{i.cases}</strong> case(s). "
        "No message content is kept or shown.</p>",
    ]
    if not i.cases:
        body.append("<p>Nothing was flagged in this span.</p>")
    else:
        body += [
            "<h2>By clause</h2>",
            stacked_bars_svg("Cases per day by clause", i.days, clause_series),
            "<h2>By label</h2>",
            stacked_bars_svg("Cases per day by label", i.days, i.by_label),
            "<h2>Ladder steps reached</h2>",
            "<table><tr><th>step</th><th>cases</th></tr>",
            *(f"<tr><td>{step}</td><td>{n}</td></tr>" for step, n in i.steps.items()),
            *([f"<tr><td>shadow (no strike)</td><td>{i.shadow}</td></tr>"] if i.shadow else []),
            "</table>",
            "<h2>Contested and dismissed, per label</h2>",
            "<p>A label moderators often dismiss is a false-positive signal: raise its threshold "
            "or turn it off.</p>",
            "<table><tr><th>label</th><th>cases</th><th>contested</th><th>dismissed</th></tr>",
            *(
                f"<tr><td>{escape(d.label)}</td><td>{d.cases}</td><td>{d.contested}</td>"
                f"<td>{d.dismissed}</td></tr>"
                for d in i.disputes
            ),
            "</table>",
        ]
        if i.users is not None:
            body += [
                "<h2>Cases per user</h2><table><tr><th>user</th><th>cases</th></tr>",
                *(f"<tr><td>{escape(u)}</td><td>{n}</td></tr>" for u, n in i.users.items()),
                "</table>",
            ]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font:15px system-ui,sans-serif;max-width:780px;margin:2em auto;padding:0 1em;"
        "color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
        "padding:.25em .6em;text-align:left}.chart{width:100%;height:auto}</style></head><body>"
        + "".join(body)
        + "</body></html>"
    )
