"""Validation suites: Erlang checks, hypothesis properties, golden files, docs examples."""
