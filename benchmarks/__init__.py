"""Benchmarks of the thbstats pipeline against its floor (issue 7): ``python -m benchmarks``."""
