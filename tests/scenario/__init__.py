"""Tests of simulator/scenario/: one file per module, named test_<module>.py."""
