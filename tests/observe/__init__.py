"""Tests of simulator/observe/: one file per module, named test_<module>.py."""
