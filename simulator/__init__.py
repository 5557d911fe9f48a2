"""cxsim: a customer-journey walkthrough simulator for contact centers.

Data flows one way: YAML -> Scenario -> World -> events -> metrics -> results -> report.
"""

__version__ = "0.1.0"
