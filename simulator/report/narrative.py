""" "Become the customer": one traced journey told minute by minute, in plain language.

All the prose of a trace lives in tables: :data:`TEMPLATES` has one entry per journey activity
(:data:`simulator.observe.events.ACTIVITIES`), each a few wordings ("cases") chosen from the
events alone; :data:`CHANNELS`, :data:`INTENTS` and :data:`SEGMENTS` say how to name things
("voice" reads "phone"); the small phrase tables word the rest. The model never formats
anything: it emits :class:`~simulator.observe.events.JourneyEvent` s, and :func:`narrate` turns
a :class:`~simulator.observe.trace.TracedJourney` into :class:`NarrativeLine` s.

This module is the public face of :mod:`simulator.report.story`, where each step lives in a
module of its own (names, wordings, telling, rendering, pairs). Renderers: :func:`render_text`
(terminal, optional ANSI colours), :func:`render_markdown`, :func:`to_json` (structured, for
other tools), :func:`render_html_fragment` (an escaped ``<ol class="timeline">``) and
:func:`render_pair_text` (one customer in two designs).
"""

from __future__ import annotations

from simulator.report.story.pair import render_pair_text
from simulator.report.story.render import (
    meter,
    render_html_fragment,
    render_markdown,
    render_text,
    to_json,
)
from simulator.report.story.telling import NarrativeLine, header, narrate, summary_line
from simulator.report.story.wording import FIELDS, OUTCOME, TEMPLATES, template_fields
from simulator.report.story.words import (
    CHANNELS,
    INTENTS,
    SEGMENTS,
    ChannelWords,
    channel_words,
    clock_of,
    span,
)

__all__ = [
    "CHANNELS",
    "FIELDS",
    "INTENTS",
    "OUTCOME",
    "SEGMENTS",
    "TEMPLATES",
    "ChannelWords",
    "NarrativeLine",
    "channel_words",
    "clock_of",
    "header",
    "meter",
    "narrate",
    "render_html_fragment",
    "render_markdown",
    "render_pair_text",
    "render_text",
    "span",
    "summary_line",
    "template_fields",
    "to_json",
]
