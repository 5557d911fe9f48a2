"""The public face of the story package (simulator/report/narrative.py): every name it exports
is the story module's own object, so a table changed through it changes what is told."""

from __future__ import annotations

from simulator.report import narrative
from simulator.report.story import words
from simulator.report.story.telling import narrate


def test_the_facade_exports_the_story_modules_objects(siloed_worst):
    for name in narrative.__all__:
        assert getattr(narrative, name) is not None, name
    assert narrative.INTENTS is words.INTENTS and narrative.narrate is narrate
    intents = dict(words.INTENTS)
    try:
        narrative.INTENTS[siloed_worst.record.intent] = "a very particular matter"
        assert "a very particular matter" in narrative.narrate(siloed_worst)[0].text
    finally:
        words.INTENTS.clear()
        words.INTENTS.update(intents)
