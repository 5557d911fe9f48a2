"""Small scenarios the staffing tests search: one with Erlang C's own assumptions, one with
two groups, patience, shrinkage and costs."""

#: One skill, exponential handle times, nobody abandons, three hours of rising load (4, 10 and
#: 20 Erlangs): Erlang C's own assumptions, interval by interval.
ERLANG = """
scenario: erlang-check
seed: 5
horizon: {duration: 3h, interval: 1h, drain: 1h}
arrivals: {rate: [60/h, 150/h, 300/h]}
channels: {voice: {service_level: 20s}}
agents: {voice: {count: 5}}
handle_time: {default: {exponential: {mean: 4m}}}
"""

#: Two groups on two channels with patience and shrinkage, four half hours, and costs.
SMALL = """
scenario: small-day
seed: 3
horizon: {start: "09:00", end: "11:00", interval: 30m, drain: 1h}
arrivals:
  rate: [100/h, 220/h, 260/h, 120/h]
  first_channel: {voice: 0.7, chat: 0.3}
channels:
  voice: {patience: {exponential: {mean: 5m}}, service_level: 20s}
  chat: {patience: {exponential: {mean: 4m}}, service_level: 60s}
agents:
  phones: {skills: [voice], count: {"09:00": 8, "10:00": 12}, shrinkage: 0.3}
  chats: {skills: [chat], count: 4, concurrency: 2, shrinkage: 0.25}
handle_time:
  default: {exponential: {mean: 3m}}
  by_channel: {chat: {exponential: {mean: 6m}}}
costs: {agent_hour: 30}
"""

#: E-mail only at a steady 60 an hour (6 Erlangs of 6-minute answers), promised within 4 hours
#: of calendar time, worked 08:00-18:00 by a team with 20 % shrinkage.
EMAIL = """
scenario: email-steady
seed: 3
horizon: {start: "08:00", end: "18:00", interval: 30m}
arrivals: {rate: 60/h}
channels:
  email: {kind: asynchronous, service_level: 4h}
agents:
  email_team: {skills: [email], count: 6, shrinkage: 0.2}
handle_time: {default: {lognormal: {mean: 6m, sd: 4m}}}
"""

#: Voice with a morning peak and e-mail at a steady rate on the same day; e-mail is answered
#: 08:00-16:00 (its hours) and promised within 8 business hours.
MIXED = """
scenario: mixed-day
seed: 4
horizon: {start: "08:00", end: "18:00", interval: 1h}
arrivals:
  per_interval: [150, 300, 400, 300, 200, 200, 250, 250, 150, 100]
  first_channel: {voice: 0.8, email: 0.2}
channels:
  voice: {patience: {exponential: {mean: 5m}}, service_level: 20s}
  email:
    kind: asynchronous
    hours: "08:00-16:00"
    service_level: {within: 8h, business_hours: true}
agents:
  phones: {skills: [voice], count: 20, shrinkage: 0.3}
  email_team: {skills: [email], count: 4, shrinkage: 0.2}
handle_time:
  default: {exponential: {mean: 4m}}
  by_channel: {email: {lognormal: {mean: 8m, sd: 5m}}}
"""

#: Voice and chat from 08:00 to 14:00 with shift rules: long voice shifts with a paid break and
#: an unpaid lunch of 30 to 45 minutes, short part-time voice shifts, four-hour chat shifts at
#: their own rate. About 1,000 customers a day.
SHIFT_DAY = """\
scenario: shift-day
seed: 6
horizon: {start: "08:00", end: "14:00", interval: 30m}
arrivals:
  per_interval: [40, 60, 90, 110, 110, 90, 80, 100, 110, 90, 60, 40]
  first_channel: {voice: 0.75, chat: 0.25}
channels:
  voice: {patience: {exponential: {mean: 5m}}, service_level: 20s}
  chat: {patience: {exponential: {mean: 4m}}, service_level: 60s}
agents:
  phones: {skills: [voice], count: 10, shrinkage: 0.3}
  chats: {skills: [chat], count: 3, concurrency: 2, shrinkage: 0.25}
handle_time:
  default: {exponential: {mean: 4m}}
  by_channel: {chat: {exponential: {mean: 6m}}}
costs: {agent_hour: 30}
shifts:
  phones:
    types:
      long:
        paid: 5h
        starts: "08:00-09:00"
        breaks:
          rest: {length: 15m, within: 1h30m-3h}
          lunch: {length: 30m, up_to: 45m, within: 2h30m-4h, paid: false}
      short: {paid: [2h, 3h], starts: "08:00-12:00", start_step: 30m, part_time: true}
    part_time: {max_hours_share: 0.5}
    shrinkage: 0.25
  chats:
    types:
      day:
        paid: 4h
        starts: "08:00-10:00"
        breaks: {rest: {length: 15m, within: 1h-3h}}
        agent_hour: 26
"""

#: Three days of the same center: Monday busier, Wednesday quiet; a weekend-style type works
#: Wednesday only.
SHIFT_WEEK = (
    SHIFT_DAY.replace(
        'horizon: {start: "08:00", end: "14:00", interval: 30m}',
        'horizon: {start: "08:00", end: "14:00", interval: 30m, days: 3, first_day: mon}',
    )
    .replace(
        "  first_channel: {voice: 0.75, chat: 0.25}\n",
        "  first_channel: {voice: 0.75, chat: 0.25}\n"
        "  by_day:\n"
        "    mon: {per_interval: [50, 75, 110, 135, 135, 110, 100, 125, 135, 110, 75, 50]}\n"
        "    wed: {per_interval: [30, 40, 60, 70, 70, 60, 50, 60, 70, 60, 40, 30]}\n",
    )
    .replace(
        '      short: {paid: [2h, 3h], starts: "08:00-12:00", start_step: 30m, part_time: true}\n',
        '      short: {paid: [2h, 3h], starts: "08:00-12:00", start_step: 30m, part_time: true}\n'
        '      midweek: {paid: 6h, starts: "08:00", days: wed, min_heads: 1}\n',
    )
)

#: Long calls (20 minutes) on one queue for four hours, about 200 a day, whose daily volume
#: strays from the forecast with a CV of 9 %: enough agents (20-25) for a plan to move by
#: small steps, few enough customers for hundreds of days to run in seconds.
UNCERTAIN_DAY = """\
scenario: uncertain-day
seed: 8
horizon: {start: "08:00", end: "12:00", interval: 30m}
arrivals:
  per_interval: [20, 25, 30, 28, 26, 24, 22, 18]
  uncertainty: {day_cv: 0.09}
channels: {voice: {patience: {exponential: {mean: 10m}}, service_level: 20s}}
agents: {team: {skills: [voice], count: 6}}
handle_time: {default: {exponential: {mean: 20m}}}
"""

#: The targets the schedule tests roster SHIFT_DAY and SHIFT_WEEK for.
SCHEDULE_TARGETS = ["service_level>=0.8", "abandon_rate<=0.05"]
