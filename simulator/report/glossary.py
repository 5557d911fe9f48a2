"""The report's glossary: every figure it shows, said in plain words.

A chief operating officer should not need the reference manual (nor know that ``asa_s`` is a
mean in seconds) to read the page. Each term is the label the page shows, defined in a sentence
or two a non-specialist can follow, saying where a number comes from when it is a model's
estimate rather than a count (NPS, churn, effort, people told). The results document's own
technical definitions (by key) follow, folded, for the analyst.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

__all__ = ["GLOSSARY", "GLOSSARY_CSS", "render_glossary"]

#: ``(term, plain definition)``, in the order the page shows the figures.
GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "95 % CI",
        "Every figure is the mean over several simulated days (replications), each with other "
        "random customers. The 95 % confidence interval is the range that holds the true "
        "long-run mean 95 times out of 100: a narrow one means the figure is settled, a wide "
        "one that more replications would sharpen it. One replication gives no interval.",
    ),
    ("Offered contacts", "Calls, chats, e-mails and messages that reached the contact center."),
    ("Answered", "Contacts an agent picked up."),
    (
        "Abandoned, abandonment rate",
        "Contacts whose customer gave up waiting before an agent picked up, and their share of "
        "the contacts that queued.",
    ),
    ("Blocked", "Contacts turned away because every line or slot was busy."),
    ("Closed", "Contacts that arrived while their channel was closed."),
    ("Still waiting at the end", "Contacts still in a queue when the simulated day stopped."),
    (
        "Service level (SL)",
        "The share of contacts answered within the channel's target wait (for example 20 "
        "seconds on the phone); the target is shown beside each channel. The service level, "
        "all channels (and the abandonment, all channels) counts every contact against its own "
        "channel's target, so a phone call and an e-mail can be added up.",
    ),
    (
        "Answered within promise",
        "The share of answered contacts that were answered within their channel's target wait.",
    ),
    (
        "ASA",
        "Average speed of answer: the mean wait of the contacts that were answered. Shown for "
        "each channel only: a phone call's seconds and an e-mail's hours do not average.",
    ),
    (
        "Mean wait, 90th percentile wait (and 95th)",
        "The mean wait of every queued contact, answered or not; 90 % (95 %) of them waited "
        "less than the percentile.",
    ),
    (
        "Agent occupancy",
        "The share of the agents' paid, available time they spent serving customers; above "
        "about 90 % agents have no breathing room and queues grow quickly.",
    ),
    ("Longest queue", "The most contacts waiting at once in a queue."),
    (
        "Busy and staffed slot-hours",
        "Hours of agent capacity in use and on shift (an agent handling three chats at once "
        "counts three slots).",
    ),
    (
        "Bot sessions, contained, containment",
        "Conversations with a bot; those it finished without handing over to an agent, and "
        "their share. Escalated: handed to an agent; redirected: sent to another channel.",
    ),
    ("Customers", "People who got in touch at least once during the day."),
    (
        "First-contact resolution (FCR)",
        "The share of customers whose need was settled by their first contact, with no repeat.",
    ),
    ("Resolved in the end", "The share of customers whose need was settled, however many tries."),
    ("Gave up", "The share of customers who stopped trying with their need unsettled."),
    (
        "Contacts per resolution; repeats, transfers, channel switches per 100",
        "How much work a settled need took: contacts per resolved customer; repeat contacts, "
        "transfers between teams and changes of channel per 100 customers (repeats per 100 "
        "customers, transfers per 100, channel switches per 100).",
    ),
    (
        "Time to resolution",
        "From a customer's first contact to the moment their need was settled, waits and "
        "time between tries included.",
    ),
    (
        "Frustration (0-100)",
        "How annoyed a customer is, modelled step by step: waits, repeating themselves, "
        "transfers and failures raise it, good service calms it. It is read as four states: "
        "calm, irritated, angry and furious. Final frustration is where a journey ends.",
    ),
    ("Ending angry or worse", "The share of customers whose journey ended angry or furious."),
    (
        "Expected churn",
        "The model's estimate of the share of customers who will leave the company because of "
        "this experience (it grows with their final frustration), from published studies "
        "(docs/model.md).",
    ),
    (
        "NPS (model)",
        "Net Promoter Score estimated from each customer's final frustration: the share of "
        "likely promoters minus the share of likely detractors, from -100 to +100. A model of "
        "how people would answer the survey, not a survey.",
    ),
    (
        "Effort score (1-7)",
        "How hard customers had to work to get help (contacts, waits, repeating themselves), "
        "on the customer effort scale, 7 the hardest.",
    ),
    (
        "People told about it",
        "How many people unhappy customers are expected to tell about a bad experience, all "
        "customers together.",
    ),
    (
        "Operating cost",
        "What the day costs to run: scheduled agent hours at their rate, overtime, bot "
        "sessions and the platform.",
    ),
    (
        "Customer value at risk",
        "What the experience may cost later: the lifetime value of the customers expected to "
        "leave, plus the revenue at risk from the people they tell. It includes the churn "
        "customers would have anyway, so it is most telling when two designs are compared.",
    ),
    (
        "Journey map",
        "Every journey folded into steps (the channel of each contact, bot, team, how it "
        "ended): how many customers take each step and how frustrated they are on arriving.",
    ),
    (
        "Pain points",
        "The steps where the most frustration arrives: customers reaching the step times their "
        "mean frustration on arriving.",
    ),
)


def render_glossary(document: Mapping[str, Any], states: str = "") -> str:
    """The glossary ``<dl>`` (``data-testid="glossary"``), the frustration states' ranges if
    given (``states``), then the document's technical definitions folded in a
    ``<details>``."""
    items = [f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>" for term, text in GLOSSARY]
    if states:
        items.append(f"<dt>Frustration bands</dt><dd>On the 0-100 scale: {_e(states)}.</dd>")
    technical = document.get("definitions") or {}
    rows = "".join(f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>" for term, text in technical.items())
    folded = (
        '<details class="technical"><summary>Technical definitions (results.json keys)'
        f'</summary><dl class="definitions" data-testid="definitions">{rows}</dl></details>'
        if rows
        else '<dl class="definitions" data-testid="definitions"></dl>'
    )
    return f'<dl class="definitions glossary" data-testid="glossary">{"".join(items)}</dl>{folded}'


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


#: Plain terms in the page's font, in a column of their own width (stacked on a phone).
GLOSSARY_CSS = """
dl.glossary { grid-template-columns: minmax(9em, 15em) 1fr; gap: 6px 18px; }
dl.glossary dt { font-family: inherit; font-size: 14px; overflow-wrap: anywhere; }
"""
