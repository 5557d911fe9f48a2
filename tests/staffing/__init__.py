"""Tests of simulator/staffing/: one file per module, named test_<module>.py."""
