""" "Become the customer": the modules that tell one traced journey in plain language.

Its public face is :mod:`simulator.report.narrative`, which names the entry points. The modules,
in the order a story is made:

* :mod:`~simulator.report.story.words`: how to name channels, intents, segments, teams and times;
* :mod:`~simulator.report.story.wording`: one template per activity and the phrases around them;
* :mod:`~simulator.report.story.telling`: events -> :class:`NarrativeLine` s, header and summary;
* :mod:`~simulator.report.story.render`: terminal text, Markdown, JSON and an HTML fragment;
* :mod:`~simulator.report.story.pair`: one customer in two designs.
"""
