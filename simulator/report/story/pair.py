"""One customer in two designs: both journeys, and what changes for them.

The customer is the same person in both (same arrival, need and patience: common random
numbers), so every difference in the two stories is the difference the design makes.
"""

from __future__ import annotations

from simulator.observe.trace import TracedJourney
from simulator.report.story.render import render_text, wrap
from simulator.report.story.telling import listing
from simulator.report.story.words import intent_words, segment_words, span, state_of


def _outcome_word(t: TracedJourney) -> str:
    r = t.record
    if r.resolved:
        return f"resolved in {span(r.time_to_resolution_s or 0.0)}"
    return "gave up"


def render_pair_text(
    a: TracedJourney,
    b: TracedJourney,
    labels: tuple[str, str] = ("siloed", "omnichannel"),
    color: bool = False,
    width: int = 100,
) -> str:
    """One customer in two designs: both journeys, then a table and a sentence of differences."""
    ra, rb = a.record, b.record
    out = wrap(
        f"Customer {ra.cid}: {segment_words(ra.segment)}, about {intent_words(ra.intent)}, "
        f"in two designs: {labels[0]} ({a.scenario}) and {labels[1]} ({b.scenario}).",
        width,
    )
    out.append("")
    for label, t in zip(labels, (a, b), strict=True):
        title = f"== {label}: {t.scenario} "
        out += [title + "=" * max(0, width - len(title)), render_text(t, color, width)]
    state_a, state_b = state_of(a, ra.final_frustration), state_of(b, rb.final_frustration)
    rows = [
        ("contacts", str(ra.contacts), str(rb.contacts)),
        ("repeats (explaining again)", str(ra.repeats), str(rb.repeats)),
        ("transfers", str(ra.transfers), str(rb.transfers)),
        ("channel switches", str(ra.switches), str(rb.switches)),
        ("waiting", span(ra.total_wait_s), span(rb.total_wait_s)),
        (
            "peak frustration",
            f"{ra.peak_frustration:.0f} {state_of(a, ra.peak_frustration)}",
            f"{rb.peak_frustration:.0f} {state_of(b, rb.peak_frustration)}",
        ),
        (
            "final frustration",
            f"{ra.final_frustration:.0f} {state_a}",
            f"{rb.final_frustration:.0f} {state_b}",
        ),
        ("outcome", _outcome_word(a), _outcome_word(b)),
        ("effort (1-7)", f"{ra.effort:.1f}", f"{rb.effort:.1f}"),
        (
            "churn risk",
            f"{100 * ra.churn_probability:.0f} %",
            f"{100 * rb.churn_probability:.0f} %",
        ),
        ("word of mouth (people)", f"{ra.word_of_mouth:.0f}", f"{rb.word_of_mouth:.0f}"),
    ]
    w0 = max(len(r[0]) for r in rows) + 2
    w1 = max(len(labels[0]), *(len(r[1]) for r in rows)) + 2
    title = f"== Key differences, {labels[0]} vs {labels[1]} "
    out += [title + "=" * max(0, width - len(title)), ""]
    out.append(f"{'':<{w0}}{labels[0]:<{w1}}{labels[1]}")
    out += [f"{name:<{w0}}{x:<{w1}}{y}" for name, x, y in rows]
    out += ["", *wrap(_difference(a, b, labels), width)]
    return "\n".join(out) + "\n"


def _difference(a: TracedJourney, b: TracedJourney, labels: tuple[str, str]) -> str:
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
