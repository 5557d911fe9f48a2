"""Tests of simulator/model/: one file per module, named test_<module>.py."""
