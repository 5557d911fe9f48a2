"""Tests of simulator/experiment/: one file per module, named test_<module>.py."""
