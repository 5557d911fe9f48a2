"""The HTML report: one self-contained page with the KPIs, their definitions, the charts and a
journey explorer.

The page loads nothing from anywhere: CSS and JavaScript are inline, plots are embedded as
``data:`` URIs, fonts are the reader's system fonts, and a Content-Security-Policy forbids any
other source. It can be mailed, archived or opened offline and will look the same.

Everything taken from the results document (scenario, channel, queue, bot and intent names, the
description, definitions) is HTML-escaped: names are user input. The journey explorer, the
journey map, the money, the executive summary and the glossary have their own modules
(:mod:`~simulator.report.explorer_html`, :mod:`~simulator.report.journey_map_svg`,
:mod:`~simulator.report.money_html`, :mod:`~simulator.report.executive`,
:mod:`~simulator.report.glossary`); this one lays the page out. Explorer entries are those
``journeys.json`` stores (:func:`simulator.report.story.explorer.explorer_entry`).
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from simulator.observe.pain import CAUSE_WORDS
from simulator.report.executive import EXECUTIVE_CSS, render_executive
from simulator.report.explorer_html import EXPLORER_CSS, EXPLORER_JS, render_explorer
from simulator.report.files import write_atomic
from simulator.report.glossary import GLOSSARY_CSS, render_glossary
from simulator.report.journey_map_svg import MAP_CSS, MAP_JS, render_journey_map
from simulator.report.money_html import render_money
from simulator.report.text import JOURNEY_ROWS, OVERALL_ROWS, fmt, shown_bounds, state_at
from simulator.units import format_duration

__all__ = ["render_report", "write_report"]

#: Caption of each chart of :data:`simulator.report.plots.PLOTS`, by file name.
PLOT_CAPTIONS = {
    "waits.png": (
        "Waits by channel",
        "Mean wait, ASA and wait percentiles per channel, with the service-level target.",
    ),
    "service_by_interval.png": (
        "Service level and abandonment over the day, per channel",
        "By interval of arrival, each channel against its own threshold; the shaded band is "
        "the 95 % confidence interval.",
    ),
    "waits_by_interval.png": (
        "Waits over the day, per channel",
        "ASA and 90th percentile wait by interval of arrival, each channel on its own time "
        "scale with its service-level threshold (dashed).",
    ),
    "occupancy_by_interval.png": (
        "Agent groups over the day",
        "Occupancy of each agent group by interval, and the heads scheduled.",
    ),
    "frustration_by_interval.png": (
        "Frustration over the day",
        "Mean final frustration (0-100, on the calm-to-furious scale) and the share of "
        "customers ending angry or worse, by interval of arrival.",
    ),
    "funnel.png": (
        "Journey outcomes",
        "Customers, the contacts they made with bots and agents, and how their journeys ended.",
    ),
    "switch_matrix.png": (
        "Channel switches",
        "How many customers moved from one channel to another on a repeat contact.",
    ),
}

#: KPI cards at the top of the page: (section, kpi path, label). Figures for all channels
#: together are counts and promise-relative shares; waits have a card per channel
#: (:data:`CHANNEL_CARDS`), never one for all channels (see :mod:`simulator.observe.scopes`).
HEADLINE = (
    ("overall", "offered", "Offered contacts"),
    ("overall", "service_level", "Service level, all channels"),
    ("overall", "abandon_rate", "Abandonment, all channels"),
    ("overall", "within_promise", "Answered within promise"),
    ("journey", "fcr", "First-contact resolution"),
    ("journey", "frustration.mean_final", "Final frustration"),
    ("journey", "churn_rate", "Expected churn"),
    ("journey", "nps", "NPS (model)"),
)

#: One card per channel, with the channel's own figures: (kpi, label after the channel name).
CHANNEL_CARDS = (("asa_s", "ASA"), ("service_level", "service level"))
QUEUE_COLUMNS = (
    ("offered", "Offered"),
    ("answered", "Answered"),
    ("abandon_rate", "Abandon"),
    ("service_level", "SL"),
    ("within_promise", "Within promise"),
    ("asa_s", "ASA"),
    ("mean_wait_s", "Mean wait"),
    ("wait_p90_s", "p90 wait"),
    ("wait_p95_s", "p95 wait"),
)

BOT_COLUMNS = (
    ("sessions", "Sessions"),
    ("contained", "Contained"),
    ("containment_rate", "Containment"),
    ("escalated", "Escalated"),
    ("redirected", "Redirected"),
)


def render_report(
    document: Mapping[str, Any],
    plots: Mapping[str, bytes],
    explorer: Sequence[Mapping[str, Any]],
    journey_map: Mapping[str, Any] | None = None,
) -> str:
    """The report page as one HTML string (UTF-8, no external resources).

    ``explorer`` are the explorer's entries and ``journey_map`` the map, as ``journeys.json``
    holds them (:func:`simulator.report.bundle.journeys_document`)."""
    metrics = document.get("metrics") or {}
    scenario = str(document.get("scenario", "scenario"))
    effective = document.get("effective_scenario") or {}
    levels = _levels(document)
    summary = (
        _headline(metrics, levels)
        + _channel_cards(document, metrics)
        + render_money(metrics)
        + render_executive(journey_map, explorer, levels, _largest_causes(metrics))
        + _kpi_tables(metrics)
    )
    sections = [
        _section("summary", "Key figures", summary),
        _section("channels", "By channel, queue and team", _breakdowns(document, metrics)),
        _section("plots", "Charts", plot_figures(plots)),
        _section("map", "Journey map", render_journey_map(journey_map, levels)),
        _section("explorer", "Journey explorer", render_explorer(explorer, levels)),
        _section("definitions", "Glossary", _definitions(document, levels)),
    ]
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in (
            ("summary", "Key figures"),
            ("channels", "Channels"),
            ("plots", "Charts"),
            ("map", "Journey map"),
            ("explorer", "Journeys"),
            ("definitions", "Glossary"),
        )
    )
    return PAGE.format(
        kicker="cxsim simulation report",
        title=_e(f"{scenario} - cxsim report"),
        css=CSS + EXPLORER_CSS + MAP_CSS + GLOSSARY_CSS + EXECUTIVE_CSS,
        js=EXPLORER_JS + MAP_JS,
        scenario=_e(scenario),
        description=_e(effective.get("description") or ""),
        meta=_meta(document, effective),
        nav=nav,
        body="\n".join(sections),
        footer=_footer(document),
    )


def write_report(
    path: str | Path,
    document: Mapping[str, Any],
    plots: Mapping[str, bytes],
    explorer: Sequence[Mapping[str, Any]],
    journey_map: Mapping[str, Any] | None = None,
) -> Path:
    """Render the report and write it atomically to ``path``."""
    return write_atomic(path, render_report(document, plots, explorer, journey_map))


# --------------------------------------------------------------------------------------------
# Sections


def _meta(document: Mapping[str, Any], effective: Mapping[str, Any]) -> str:
    reps = document.get("replications")
    parts = [
        f"seed <b>{_e(document.get('seed', '?'))}</b>",
        f"<b>{_e(reps)}</b> replication{'s' if reps != 1 else ''}",
    ]
    horizon = effective.get("horizon") or {}
    if horizon.get("start") is not None and horizon.get("end") is not None:
        span = f"{horizon['start']}-{horizon['end']}"
    elif horizon.get("duration") is not None:
        span = f"{horizon['duration']}"
    else:
        span = ""
    if span:
        every = f", {horizon['interval']} intervals" if horizon.get("interval") else ""
        parts.append(f"horizon {_e(span)}{_e(every)}")
    customers = _get(document.get("metrics") or {}, "simulated.customers")
    if customers:
        parts.append(f"{_e(fmt('customers', _mean(customers)))} customers per replication")
    if document.get("cxsim_version"):
        parts.append(f"cxsim {_e(document['cxsim_version'])}")
    return " &middot; ".join(parts)


def _headline(metrics: Mapping[str, Any], levels: Mapping[str, float]) -> str:
    cards = []
    for section, key, label in HEADLINE:
        est = _get(metrics.get(section) or {}, key)
        if est is None:
            continue
        mean, ci = _fmt(key, est)
        extra, state, note = "", "", ""
        if key == "frustration.mean_final":
            state = _e(state_at(_mean(est), levels))
            extra = f' <span class="chip {state}">{state}</span>' if state else ""
            note = _angry_note(metrics.get(section) or {})
        cards.append(
            f'<div class="card{" " + state if state else ""}" data-kpi="{_e(key)}">'
            f'<div class="card-label">{_e(label)}</div>'
            f'<div class="card-value">{_e(mean)}{extra}</div>'
            f'<div class="card-ci">{"95 % CI " + _e(ci) if ci else "&nbsp;"}</div>'
            + (f'<div class="card-note">{_e(note)}</div>' if note else "")
            + "</div>"
        )
    return f'<div class="cards">{"".join(cards)}</div>' if cards else ""


def _angry_note(journey: Mapping[str, Any]) -> str:
    """The tail beside the mean: a calm mean can hide many angry customers, so the card of the
    mean final frustration says how many ended angry or worse."""
    share = _get(journey, "frustration.share_angry_or_worse")
    if share is None:
        return ""
    shown, _ = _fmt("share_angry_or_worse", share)
    return f"a mean: {shown} of customers end angry or worse"


def _card(key: str, label: str, est: Any, note: str = "") -> str:
    mean, ci = _fmt(key, est)
    return (
        f'<div class="card" data-kpi="{_e(key)}">'
        f'<div class="card-label">{_e(label)}</div>'
        f'<div class="card-value">{_e(mean)}</div>'
        f'<div class="card-ci">{_e(ci) if ci else "&nbsp;"}</div>'
        + (f'<div class="card-note">{_e(note)}</div>' if note else "")
        + "</div>"
    )


def _channel_cards(document: Mapping[str, Any], metrics: Mapping[str, Any]) -> str:
    """Each channel's ASA, with its service level against its own threshold: the waits of the
    headline, one channel at a time."""
    thresholds = document.get("service_level_thresholds_s") or {}
    cards = []
    for name, figures in (metrics.get("by_channel") or {}).items():
        if _mean(figures.get("offered")) <= 0:
            continue
        (key, label), (sl_key, sl_label) = CHANNEL_CARDS
        level, _ = _fmt(sl_key, figures.get(sl_key))
        target = thresholds.get(name)
        within = f" within {format_duration(round(target))}" if _finite(target) else ""
        note = f"{sl_label} {level}{within}"
        cards.append(_card(f"by_channel.{name}.{key}", f"{label}, {name}", figures.get(key), note))
    if not cards:
        return ""
    return f'<div class="cards" data-testid="channel-cards">{"".join(cards)}</div>'


def _finite(x: Any) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)


def _kpi_tables(metrics: Mapping[str, Any]) -> str:
    overall = metrics.get("overall") or {}
    rows = []
    for key, label in OVERALL_ROWS:
        est = overall.get(key)
        if est is None or (key in ("blocked", "closed", "in_system") and _mean(est) == 0):
            continue
        rows.append(_kpi_row(key, label, est))
    queue = (
        '<table class="kpi" data-testid="kpi-table"><caption>All channels: counts and shares '
        "against each channel's own promise (waits: by channel)</caption>"
        "<thead><tr><th>KPI</th><th>Mean</th><th>95 % CI</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="empty" data-testid="kpi-table">No queue KPIs in this document.</p>'
    )
    journey = metrics.get("journey") or {}
    rows = []
    for key, label in JOURNEY_ROWS:
        est = _get(journey, key)
        if est is not None:
            rows.append(_kpi_row(key, label, est))
    journeys = (
        '<table class="kpi" data-testid="journey-table"><caption>Customer journeys</caption>'
        "<thead><tr><th>KPI</th><th>Mean</th><th>95 % CI</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else ""
    )
    return f'<div class="two-col">{queue}{journeys}</div>'


def _kpi_row(key: str, label: str, est: Any) -> str:
    mean, ci = _fmt(key, est)
    return f"<tr><th>{_e(label)}</th><td>{_e(mean)}</td><td class='ci'>{_e(ci)}</td></tr>"


def _breakdowns(document: Mapping[str, Any], metrics: Mapping[str, Any]) -> str:
    thresholds = document.get("service_level_thresholds_s") or {}
    parts = []
    channels = metrics.get("by_channel") or {}
    if channels:
        notes = {
            name: f"SL target {format_duration(round(t))}"
            for name, t in thresholds.items()
            if isinstance(t, int | float)
        }
        parts.append(
            _matrix("channel-table", "By channel", "Channel", channels, QUEUE_COLUMNS, notes)
        )
    kinds = metrics.get("by_kind") or {}
    if len(kinds) > 1:
        parts.append(_matrix("kind-table", "By kind of channel", "Kind", kinds, QUEUE_COLUMNS))
    queues = metrics.get("by_queue") or {}
    if queues:
        columns: tuple[tuple[str, str], ...] = (*QUEUE_COLUMNS, ("longest_queue", "Longest queue"))
        parts.append(
            _matrix(
                "queue-table",
                "By skill queue (waits only for queues whose channels are of one kind)",
                "Queue",
                queues,
                columns,
            )
        )
    groups = metrics.get("by_group") or {}
    if groups:
        columns = (
            ("occupancy", "Occupancy"),
            ("answered", "Answered"),
            ("mean_handle_time_s", "Mean handle time"),
            ("busy_slot_hours", "Busy slot-hours"),
            ("staffed_slot_hours", "Staffed slot-hours"),
            ("overtime_hours", "Overtime hours"),
        )
        parts.append(_matrix("group-table", "By agent group", "Group", groups, columns))
    bots = metrics.get("bots") or {}
    if bots:
        parts.append(_matrix("bot-table", "Bots", "Bot", bots, BOT_COLUMNS))
        failures = _bot_failures(bots)
        if failures:
            parts.append(failures)
    pain = _pain_points(metrics.get("journey") or {})
    if pain:
        parts.append(pain)
    if not parts:
        return '<p class="empty">No per-channel figures in this document.</p>'
    return "\n".join(parts)


def _matrix(
    testid: str,
    caption: str,
    first: str,
    rows: Mapping[str, Mapping[str, Any]],
    columns: Iterable[tuple[str, str]],
    notes: Mapping[str, str] | None = None,
) -> str:
    columns = [(k, h) for k, h in columns if any(k in r for r in rows.values())]
    head = "".join(f"<th>{_e(h)}</th>" for _, h in columns)
    body = []
    for name, kpis in rows.items():
        note = (notes or {}).get(name)
        cells = [
            f"<th>{_e(name)}" + (f'<span class="note">{_e(note)}</span>' if note else "") + "</th>"
        ]
        for key, _ in columns:
            est = kpis.get(key)
            if est is None:
                cells.append("<td>-</td>")
                continue
            mean, ci = _fmt(key, est)
            cells.append(
                f"<td>{_e(mean)}" + (f'<span class="ci">{_e(ci)}</span>' if ci else "") + "</td>"
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="scroll"><table class="matrix" data-testid="{testid}">'
        f'<caption>{_e(caption)} <span class="note">(under each mean: its 95 % CI)</span>'
        "</caption>"
        f"<thead><tr><th>{_e(first)}</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _bot_failures(bots: Mapping[str, Mapping[str, Any]]) -> str:
    items = []
    for name, bot in bots.items():
        failures = bot.get("failures_by_intent") or {}
        if not failures:
            continue
        text = ", ".join(
            f"{_e(intent)} {_e(fmt('failures', _mean(est)))}" for intent, est in failures.items()
        )
        items.append(f"<li><b>{_e(name)}</b> could not help with: {text}</li>")
    return f'<ul class="notes">{"".join(items)}</ul>' if items else ""


def plot_figures(
    plots: Mapping[str, bytes],
    captions: Mapping[str, tuple[str, str]] = PLOT_CAPTIONS,
) -> str:
    """PNG charts as embedded ``<figure>`` elements with a caption from ``captions`` (by file
    name: ``(title, text)``). Public so that the comparison page embeds its charts the same way.
    """
    if not plots:
        return '<p class="empty">No charts were drawn for this report.</p>'
    figures = []
    for name, data in plots.items():
        title, text = captions.get(name, (Path(name).stem.replace("_", " "), ""))
        encoded = base64.b64encode(data).decode("ascii")
        stem = re.sub(r"[^A-Za-z0-9_-]", "-", Path(name).stem)
        figures.append(
            f'<figure data-testid="plot-{_e(stem)}">'
            f'<img src="data:image/png;base64,{encoded}" alt="{_e(title)}" loading="eager">'
            f"<figcaption><b>{_e(title)}.</b> {_e(text)}</figcaption></figure>"
        )
    return f'<div class="plots">{"".join(figures)}</div>'


def _definitions(document: Mapping[str, Any], levels: Mapping[str, float]) -> str:
    return render_glossary(document, _state_ranges(levels) if levels else "")


def _footer(document: Mapping[str, Any]) -> str:
    seed = document.get("seed")
    reps = document.get("replications")
    return (
        "Reproduce these numbers: <code>cxsim run scenario.effective.yaml "
        f"-n {_e(reps)} --seed {_e(seed)}</code> (the effective scenario is saved beside "
        "results.json)."
    )


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{_e(title)}</h2>{body}</section>'


# --------------------------------------------------------------------------------------------
# Values


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _get(tree: Mapping[str, Any], path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _num(x: Any) -> float:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return math.nan
    return value


def _mean(est: Any) -> float:
    value = _num(est.get("mean")) if isinstance(est, Mapping) else _num(est)
    return 0.0 if math.isnan(value) else value


def _fmt(key: str, est: Any) -> tuple[str, str]:
    """``(mean, "[low, high]")`` in planner units; CI bounds clipped to the possible range."""
    if not isinstance(est, Mapping):
        return fmt(key, _num(est)), ""
    kpi = key.rsplit(".", 1)[-1]
    mean, low, high = (_num(est.get(k)) for k in ("mean", "ci_low", "ci_high"))
    if math.isnan(low) or math.isnan(high):
        return fmt(kpi, mean), ""
    low, high = shown_bounds(kpi, low, high)
    return fmt(kpi, mean), f"[{fmt(kpi, low)}, {fmt(kpi, high)}]"


def _levels(document: Mapping[str, Any]) -> dict[str, float]:
    """The frustration states, in order, with the level each begins at: the results document's
    ``frustration_states`` (none in documents written before it had them: no state colours)."""
    states = document.get("frustration_states")
    if not isinstance(states, Mapping):
        return {}
    return {str(name): float(level) for name, level in states.items()}


def _state_ranges(levels: Mapping[str, float]) -> str:
    """``calm below 25, irritated below 50, angry below 75, furious from 75``."""
    names, bounds = list(levels), list(levels.values())
    ranges = [f"{name} below {bound:g}" for name, bound in zip(names, bounds[1:], strict=False)]
    ranges.append(f"{names[-1]} from {bounds[-1]:g}")
    return ", ".join(ranges)


# --------------------------------------------------------------------------------------------
# Page template, style and behaviour

#: The page skeleton, shared with :mod:`simulator.report.comparison_html`.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="generator" content="cxsim">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
<div class="wrap">
<p class="kicker">{kicker}</p>
<h1 data-testid="title">{scenario}</h1>
<p class="description">{description}</p>
<p class="meta" data-testid="meta">{meta}</p>
<nav>{nav}</nav>
</div>
</header>
<main class="wrap">
{body}
</main>
<footer class="wrap">{footer}</footer>
<script>{js}</script>
</body>
</html>
"""

#: The page style, shared with :mod:`simulator.report.comparison_html`.
CSS = """
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; --card: #ffffff;
  --accent: #2f6fde; --calm: #3fa34d; --irritated: #e9b824; --angry: #ee7b30;
  --furious: #d64545;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
}
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { background: #1f2933; color: #f5f7fa; padding: 22px 0 0; }
header .kicker { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px;
  color: #9aa5b1; }
header h1 { margin: 2px 0 4px; font-size: 28px; line-height: 1.2; overflow-wrap: anywhere; }
header .description { margin: 0 0 6px; color: #cbd2d9; }
header .meta { margin: 0 0 14px; color: #cbd2d9; font-size: 14px; }
header .meta b { color: #fff; }
nav { display: flex; gap: 4px; flex-wrap: wrap; }
nav a { color: #cbd2d9; text-decoration: none; padding: 8px 12px; border-radius: 6px 6px 0 0;
  font-size: 14px; }
nav a:hover, nav a:focus { background: var(--bg); color: var(--ink); }
section { margin: 28px 0; }
h2 { font-size: 20px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px;
  margin-bottom: 18px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 12px 14px; border-top: 4px solid var(--accent); }
.card.calm { border-top-color: var(--calm); }
.card.irritated { border-top-color: var(--irritated); }
.card.angry { border-top-color: var(--angry); } .card.furious { border-top-color: var(--furious); }
.card-label { font-size: 12px; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
.card-value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card-ci { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.card-note { font-size: 12px; color: var(--ink); margin-top: 2px; }
.two-col { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 18px;
  align-items: start; }
table { border-collapse: collapse; background: var(--card); border: 1px solid var(--line);
  border-radius: 10px; overflow: hidden; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 650; padding: 0 0 6px; }
th, td { padding: 6px 12px; border-bottom: 1px solid var(--line); text-align: right;
  vertical-align: baseline; }
th:first-child { text-align: left; }
thead th { background: #eef1f5; font-size: 13px; color: var(--muted); font-weight: 600; }
tbody th { font-weight: 500; }
tbody tr:last-child th, tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover { background: #f8fafc; }
td.ci, span.ci { color: var(--muted); font-size: 12px; }
span.ci, span.note { display: block; white-space: nowrap; }
span.note { color: var(--muted); font-size: 12px; font-weight: 400; }
.matrix { margin-bottom: 18px; }
.scroll { overflow-x: auto; }
/* A table wider than a phone scrolls in its box; its caption stays in view and wraps there. */
.scroll caption { position: sticky; left: 0; max-width: calc(100vw - 48px); }
.notes { color: var(--muted); font-size: 14px; margin-top: -8px; }
.plots { display: grid; grid-template-columns: 1fr; gap: 18px; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 10px; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 13px; color: var(--muted); padding: 6px 4px 0; }
figcaption b { color: var(--ink); }
.hint { color: var(--muted); font-size: 14px; }
.chip { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 8px;
  border-radius: 999px; color: #fff; vertical-align: middle; margin: 0 2px;
  text-transform: uppercase; letter-spacing: .03em; }
.chip.calm { background: var(--calm); }
.chip.irritated { background: var(--irritated); color: #3d2f00; }
.chip.angry { background: var(--angry); } .chip.furious { background: var(--furious); }
.card-value .chip { font-size: 10px; }
.explorer { display: grid; grid-template-columns: minmax(260px, 380px) 1fr; gap: 16px;
  align-items: start; }
@media (max-width: 800px) { .explorer { grid-template-columns: 1fr; } }
.customers { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column;
  gap: 8px; }
button.customer { width: 100%; text-align: left; display: flex; gap: 8px; align-items: baseline;
  background: var(--card); border: 1px solid var(--line); border-left: 5px solid var(--line);
  border-radius: 8px; padding: 10px 12px; font: inherit; font-size: 14px; color: inherit;
  cursor: pointer; }
button.customer:hover { border-color: #9aa5b1; }
button.customer:focus-visible { outline: 3px solid #9fbef5; outline-offset: 1px; }
button.customer[aria-expanded="true"] { background: #eef4ff; border-color: var(--accent); }
button.customer.worst { border-left-color: var(--furious); }
button.customer.typical { border-left-color: var(--irritated); }
button.customer.best { border-left-color: var(--calm); }
button.customer .label { flex: 1; }
.dot { width: 10px; height: 10px; border-radius: 50%; flex: none; background: transparent;
  align-self: center; }
.dot.calm { background: var(--calm); } .dot.irritated { background: var(--irritated); }
.dot.angry { background: var(--angry); } .dot.furious { background: var(--furious); }
.pick { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); flex: none; min-width: 56px; }
.pick.worst { color: var(--furious); } .pick.best { color: var(--calm); }
.pick.typical { color: #a07800; }
.panels { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 16px 18px; min-height: 160px; }
.placeholder, .empty { color: var(--muted); font-style: italic; }
.timeline-panel .summary { color: var(--muted); margin-top: 0; }
.timeline-panel h3 .pick { margin-left: 6px; }
ol.timeline { list-style: none; margin: 8px 0 0 6px; padding: 0 0 0 18px;
  border-left: 3px solid var(--line); }
ol.timeline > li { position: relative; margin: 0 0 10px; padding-left: 6px; }
ol.timeline > li::before { content: ""; position: absolute; left: -27px; top: 5px; width: 13px;
  height: 13px; border-radius: 50%; background: #9aa5b1; border: 2px solid var(--card); }
ol.timeline > li.calm::before, ol.timeline > li.state-calm::before { background: var(--calm); }
ol.timeline > li.irritated::before, ol.timeline > li.state-irritated::before {
  background: var(--irritated); }
ol.timeline > li.angry::before, ol.timeline > li.state-angry::before {
  background: var(--angry); }
ol.timeline > li.furious::before, ol.timeline > li.state-furious::before {
  background: var(--furious); }
ol.timeline > li.changed::before { box-shadow: 0 0 0 3px rgba(31, 41, 51, .18); }
ol.timeline > li.outcome { background: #f5f7fa; border-radius: 6px; padding: 4px 8px 4px 6px;
  font-weight: 500; }
ol.timeline > li:has(> meter) { display: grid; align-items: baseline; column-gap: 8px;
  grid-template-columns: 3.4em 64px 7.5em 1fr; }
.timeline time { display: inline-block; min-width: 3.4em; font-variant-numeric: tabular-nums;
  color: var(--muted); }
.timeline meter { width: 64px; height: 10px; vertical-align: middle; }
.timeline .level { display: inline-block; min-width: 7.5em; font-size: 12px; font-weight: 600;
  font-variant-numeric: tabular-nums; color: var(--muted); }
.timeline .state-calm .level, .timeline li.calm { color: #2b7a37; }
.timeline .state-irritated .level, .timeline li.irritated { color: #8a6d00; }
.timeline .state-angry .level, .timeline li.angry { color: #b95312; }
.timeline .state-furious .level, .timeline li.furious { color: #b42323; }
dl.definitions { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px;
  background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px;
  margin: 0; }
dl.definitions dt { font-weight: 600; font-family: ui-monospace, "SFMono-Regular", Menlo,
  Consolas, "Liberation Mono", monospace; font-size: 13px; padding-top: 2px; }
dl.definitions dd { margin: 0; color: #3e4c59; }
footer { color: var(--muted); font-size: 13px; padding-top: 8px; padding-bottom: 32px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono",
  monospace; background: #e4e7eb; padding: 1px 5px; border-radius: 4px; font-size: 12px; }
@media print {
  header { background: none; color: var(--ink); }
  header .meta, header .description { color: var(--ink); }
  nav, .placeholder { display: none; }
  .timeline-panel[hidden] { display: block; margin-bottom: 16px; }
  figure, table, .timeline-panel { break-inside: avoid; }
}
"""


def _ranked_causes(journey: Mapping[str, Any]) -> list[tuple[str, float, Any]]:
    """The causes of frustration with a share of all frustration points, largest first: each
    in words, with its mean share and its figures (share and points with their CIs)."""
    causes = _get(journey, "pain_points.causes")
    if not isinstance(causes, Mapping):
        return []
    shares = {cause: _mean(_get(causes, f"{cause}.share")) for cause in causes}
    ranked = sorted((c for c, share in shares.items() if share > 0), key=lambda c: -shares[c])
    return [(CAUSE_WORDS.get(cause, cause), shares[cause], causes[cause]) for cause in ranked]


def _largest_causes(metrics: Mapping[str, Any]) -> list[tuple[str, float]]:
    """The causes in words with their mean shares, largest first, for the executive summary."""
    return [(words, share) for words, share, _ in _ranked_causes(metrics.get("journey") or {})]


def _pain_points(journey: Mapping[str, Any]) -> str:
    """The ranked causes of frustration (issue #13): each cause's share of all frustration
    points and its points, largest share first; nothing when the document has none. Shown
    with the breakdowns, so that the summary still prints on one page."""
    ranked = _ranked_causes(journey)
    if not ranked:
        return ""
    rows = {words: figures for words, _, figures in ranked}
    columns = (("share", "Share of all points"), ("points", "Points"))
    return _matrix("pain-table", "Where frustration comes from", "Cause", rows, columns)
