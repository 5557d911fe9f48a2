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
