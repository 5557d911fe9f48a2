"""The journey event record: what happened to one customer, when, where, and how they felt.

The model emits these only when someone listens (a trace, an event log): with no recorder the
engine pays one ``None`` check per step. Each record is immutable, like a leg record in Ciw, and
carries everything an observer needs, so observers never reach back into the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: Activities, in the order a journey can meet them. Names follow process-mining conventions
#: (verb phrases, one per step) so that an event log reads naturally in a process-mining tool.
ARRIVED = "arrived"  # first contact on a channel
CONTACTED = "contacted"  # a later contact (retry or followed redirect), maybe another channel
BOT_STARTED = "bot started"
BOT_LOOPED = "bot turn failed"
BOT_RESOLVED = "resolved by bot"
BOT_ESCALATED = "bot escalated"
REDIRECTED = "redirected"
QUEUED = "queued"
BLOCKED = "blocked"
CLOSED = "closed"  # the channel was closed: outside its hours, or still waiting at closing
CALLBACK = "callback requested"
OVERFLOWED = "overflowed"
ANSWERED = "answered"
ABANDONED = "abandoned"
CONTEXT_LOST = "context lost"
TRANSFERRED = "transferred"
RESOLVED = "resolved"
UNRESOLVED = "unresolved"
RETRY = "will retry"
GAVE_UP = "gave up"

ACTIVITIES = (
    ARRIVED,
    CONTACTED,
    BOT_STARTED,
    BOT_LOOPED,
    BOT_RESOLVED,
    BOT_ESCALATED,
    REDIRECTED,
    QUEUED,
    BLOCKED,
    CLOSED,
    CALLBACK,
    OVERFLOWED,
    ANSWERED,
    ABANDONED,
    CONTEXT_LOST,
    TRANSFERRED,
    RESOLVED,
    UNRESOLVED,
    RETRY,
    GAVE_UP,
)


@dataclass(frozen=True, slots=True)
class JourneyEvent:
    """One step of one customer's journey.

    ``time`` is simulated seconds since the horizon start. ``resource`` is the queue, agent group
    or bot involved (empty when none). ``frustration`` is the customer's level *after* the step.
    ``value`` is a duration in seconds whose meaning depends on the activity: the wait for
    ``answered``/``abandoned``, the handle time for ``resolved``/``unresolved``/``transferred``
    (re-explaining included), the bot turn time for bot steps, the delay for ``will retry``.
    ``detail`` is ``intent/segment`` on ``arrived``; the channel the customer comes from on
    ``contacted``; the target channel on ``redirected`` and ``will retry``; the target queue or
    channel on ``bot escalated``, ``transferred`` and ``overflowed``; ``kind:from->to`` on
    ``context lost``; the turn number on ``bot turn failed``.

    Every finished journey ends with exactly one ``resolved`` or ``gave up`` event (a bot
    resolution is ``resolved by bot`` followed by ``resolved``), which gives process-mining
    tools a single end activity.
    """

    replication: int
    case_id: int
    time: float
    activity: str
    channel: str
    resource: str
    frustration: float
    context_lost: bool = False
    value: float | None = None
    detail: str = ""


Recorder = Callable[[JourneyEvent], None]
