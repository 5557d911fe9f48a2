"""Tests of simulator/report/: one file per module, named test_<module>.py."""
