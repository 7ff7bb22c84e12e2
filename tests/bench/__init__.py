"""Benchmarks against gunicorn + PostgreSQL: `make bench`, `make bench-smoke`.

Not a pytest suite: no module here is named test_*.py, and nothing asserts on
time. See runner.py for how a run goes and benchmarks.py to add a figure.
"""
