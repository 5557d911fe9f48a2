"""cxsim's tests: ``tests/<package>/test_<module>.py`` per module, ``tests/validation/`` for the
suites that check the whole engine against theory, properties, goldens and the docs."""
