"""Tests of simulator/scenario/read/: one file per block module, named test_<module>.py."""
