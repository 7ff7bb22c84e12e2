"""`python -m tests.bench [--smoke]`."""

from tests.bench.runner import main

if __name__ == "__main__":
    raise SystemExit(main())
