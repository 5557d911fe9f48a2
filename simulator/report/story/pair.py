"""One customer in two designs: both journeys, and what changes for them.

The customer is the same person in both (same arrival, need and patience: common random
numbers), so every difference in the two stories is the difference the design makes. Each
renderer tells the same three things: who the customer is, both journeys, then a table of
:func:`pair_rows` and the sentence of :func:`difference_sentence`. Text for a terminal
(:func:`render_pair_text`), Markdown (:func:`render_pair_markdown`), plain data
(:func:`pair_to_json`) and an escaped HTML block (:func:`render_pair_html`, for a standalone
page and the comparison report).
"""

from __future__ import annotations

import html
from typing import Any

from simulator.observe.trace import TracedJourney
from simulator.report.story.render import (
    markdown_cell,
    markdown_story,
    render_html_fragment,
    render_text,
    to_json,
    wrap,
)
from simulator.report.story.telling import listing
from simulator.report.story.words import intent_words, segment_words, span, state_of

__all__ = [
    "difference_sentence",
    "pair_rows",
    "pair_title",
    "pair_to_json",
    "render_pair_html",
    "render_pair_markdown",
    "render_pair_text",
]

#: The default labels of the two designs.
LABELS = ("siloed", "omnichannel")


def _outcome_word(t: TracedJourney) -> str:
    r = t.record
    if r.resolved:
        return f"resolved in {span(r.time_to_resolution_s or 0.0)}"
    return "gave up"


def design_name(label: str, t: TracedJourney) -> str:
    """``siloed (retail-bank-siloed)``, or the label alone when it names the scenario already."""
    return label if t.scenario in label else f"{label} ({t.scenario})"


def design_heading(label: str, t: TracedJourney) -> str:
    """``siloed: retail-bank-siloed``, or the label alone when it names the scenario already."""
    return label if t.scenario in label else f"{label}: {t.scenario}"


def pair_title(a: TracedJourney, b: TracedJourney, labels: tuple[str, str] = LABELS) -> str:
    """``Customer 2008: a digital customer, about a billing dispute, in two designs: ...``."""
    r = a.record
    return (
        f"Customer {r.cid}: {segment_words(r.segment)}, about {intent_words(r.intent)}, "
        f"in two designs: {design_name(labels[0], a)} and {design_name(labels[1], b)}."
    )


def pair_rows(a: TracedJourney, b: TracedJourney) -> list[tuple[str, str, str]]:
    """What differs for the customer, as ``(what, in the first design, in the second)``."""
    ra, rb = a.record, b.record

    def level(t: TracedJourney, f: float) -> str:
        return f"{f:.0f} {state_of(t, f)}"

    return [
        ("contacts", str(ra.contacts), str(rb.contacts)),
        ("repeats (explaining again)", str(ra.repeats), str(rb.repeats)),
        ("transfers", str(ra.transfers), str(rb.transfers)),
        ("channel switches", str(ra.switches), str(rb.switches)),
        ("waiting", span(ra.total_wait_s), span(rb.total_wait_s)),
        ("peak frustration", level(a, ra.peak_frustration), level(b, rb.peak_frustration)),
        ("final frustration", level(a, ra.final_frustration), level(b, rb.final_frustration)),
        ("outcome", _outcome_word(a), _outcome_word(b)),
        ("effort (1-7)", f"{ra.effort:.1f}", f"{rb.effort:.1f}"),
        (
            "churn risk",
            f"{100 * ra.churn_probability:.0f} %",
            f"{100 * rb.churn_probability:.0f} %",
        ),
        ("word of mouth (people)", f"{ra.word_of_mouth:.0f}", f"{rb.word_of_mouth:.0f}"),
    ]


def render_pair_text(
    a: TracedJourney,
    b: TracedJourney,
    labels: tuple[str, str] = LABELS,
    color: bool = False,
    width: int = 100,
) -> str:
    """One customer in two designs: both journeys, then a table and a sentence of differences."""
    out = wrap(pair_title(a, b, labels), width)
    out.append("")
    for label, t in zip(labels, (a, b), strict=True):
        title = f"== {design_heading(label, t)} "
        out += [title + "=" * max(0, width - len(title)), render_text(t, color, width)]
    rows = pair_rows(a, b)
    w0 = max(len(r[0]) for r in rows) + 2
    w1 = max(len(labels[0]), *(len(r[1]) for r in rows)) + 2
    title = f"== Key differences, {labels[0]} vs {labels[1]} "
    out += [title + "=" * max(0, width - len(title)), ""]
    out.append(f"{'':<{w0}}{labels[0]:<{w1}}{labels[1]}")
    out += [f"{name:<{w0}}{x:<{w1}}{y}" for name, x, y in rows]
    out += ["", *wrap(difference_sentence(a, b, labels), width)]
    return "\n".join(out) + "\n"


def render_pair_markdown(
    a: TracedJourney, b: TracedJourney, labels: tuple[str, str] = LABELS
) -> str:
    """One customer in two designs as a Markdown section: both journeys, then the differences."""
    out = [f"## {markdown_cell(pair_title(a, b, labels).rstrip('.'))}", ""]
    for label, t in zip(labels, (a, b), strict=True):
        out += [f"### {markdown_cell(design_heading(label, t))}", ""]
        out += markdown_story(t)
    out += [f"### Key differences, {markdown_cell(labels[0])} vs {markdown_cell(labels[1])}", ""]
    out += [f"| | {markdown_cell(labels[0])} | {markdown_cell(labels[1])} |", "| --- | --- | --- |"]
    out += [
        f"| {name} | {markdown_cell(x)} | {markdown_cell(y)} |" for name, x, y in pair_rows(a, b)
    ]
    out += ["", markdown_cell(difference_sentence(a, b, labels)), ""]
    return "\n".join(out)


def pair_to_json(
    a: TracedJourney, b: TracedJourney, labels: tuple[str, str] = LABELS
) -> dict[str, Any]:
    """Both journeys as plain data (``base``, ``variant``: :func:`to_json`), the labels, the
    rows of differences and the sentence that sums them up."""
    return {
        "customer": a.record.cid,
        "labels": list(labels),
        "base": to_json(a),
        "variant": to_json(b),
        "differences": [{"what": name, "base": x, "variant": y} for name, x, y in pair_rows(a, b)],
        "summary": difference_sentence(a, b, labels),
    }


def render_pair_html(
    a: TracedJourney,
    b: TracedJourney,
    labels: tuple[str, str] = LABELS,
    heading: str | None = "h3",
) -> str:
    """An escaped ``<article class="pair">``: a title in a ``heading`` element (none: no
    title, the caller says who it is), the sentence of differences, both timelines side by side
    (one above the other on a narrow screen), and the table of differences."""
    esc = html.escape
    cid = a.record.cid
    sides = "".join(
        f'<div class="pair-side" data-side="{side}">'
        f'<p class="pair-label"><b>{esc(label)}</b>'
        + ("" if t.scenario in label else f" <span>{esc(t.scenario)}</span>")
        + f"</p>{render_html_fragment(t)}</div>"
        for side, label, t in zip(("base", "variant"), labels, (a, b), strict=True)
    )
    rows = "".join(
        f"<tr><th>{esc(name)}</th><td>{esc(x)}</td><td>{esc(y)}</td></tr>"
        for name, x, y in pair_rows(a, b)
    )
    return (
        f'<article class="pair" data-testid="pair-{cid}" data-customer="{cid}">'
        + (f"<{heading}>{esc(pair_title(a, b, labels))}</{heading}>" if heading else "")
        + f'<p class="pair-summary">{esc(difference_sentence(a, b, labels))}</p>'
        + f'<div class="pair-sides">{sides}</div>'
        '<div class="scroll"><table class="pair-table"><thead><tr><th></th>'
        f"<th>{esc(labels[0])}</th><th>{esc(labels[1])}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div></article>"
    )


def difference_sentence(
    a: TracedJourney, b: TracedJourney, labels: tuple[str, str] = LABELS
) -> str:
    """One sentence: what changes for this customer in the second design."""
    ra, rb = a.record, b.record
    versus = f"with {labels[0]}"
    said = []
    for what, x, y in (
        ("contact", ra.contacts, rb.contacts),
        ("transfer", ra.transfers, rb.transfers),
    ):
        if x != y:
            n = abs(y - x)
            said.append(f"has {n} {'fewer' if y < x else 'more'} {what}{'s' if n != 1 else ''}")
    if ra.repeats != rb.repeats:
        if rb.repeats == 0:
            said.append(f"never has to explain everything again ({_times(ra.repeats)} {versus})")
        else:
            said.append(f"explains everything again {_times(rb.repeats)}, not {_times(ra.repeats)}")
    dw = rb.total_wait_s - ra.total_wait_s
    if abs(dw) >= 30:
        said.append(f"waits {span(abs(dw))} {'less' if dw < 0 else 'more'}")
    if ra.resolved != rb.resolved:
        said.append(
            "is resolved instead of giving up"
            if rb.resolved
            else "gives up instead of being resolved"
        )
    sa, sb = state_of(a, ra.final_frustration), state_of(b, rb.final_frustration)
    if sa != sb:
        said.append(f"ends {sb} instead of {sa}")
    dc = 100 * (rb.churn_probability - ra.churn_probability)
    if abs(dc) >= 0.5:
        said.append(f"has a churn risk {abs(dc):.0f} points {'lower' if dc < 0 else 'higher'}")
    if not said:
        return (
            f"For customer {ra.cid}, nothing that matters changes with {labels[1]}: "
            f"the journey ends {sb} in both."
        )
    return f"With {labels[1]}, customer {ra.cid} {listing(said)}."


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")
