"""Tests of simulator/calibrate/: one file per module, named test_<module>.py."""
