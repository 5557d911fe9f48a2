"""The wordings of a journey (simulator/report/story/wording.py)."""

from __future__ import annotations

from simulator.observe import events as ev
from simulator.report.story.wording import FIELDS, TEMPLATES, template_fields


def test_every_activity_has_a_template_with_known_fields():
    assert set(TEMPLATES) == set(ev.ACTIVITIES)
    for activity in ev.ACTIVITIES:
        cases = TEMPLATES[activity]
        assert "" in cases, f"{activity!r} has no usual wording"
        assert any(cases.values()), f"{activity!r} is never told"
        for case, wording in cases.items():
            unknown = template_fields(wording) - FIELDS
            assert not unknown, f"{activity!r}/{case!r} uses unknown fields {unknown}"
