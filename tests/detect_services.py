"""Print `NAME=value` lines for the real services that answer on this machine.

`make test` uses them so the suite runs against PostgreSQL and Redis when they
are there, and on embedded defaults (SQLite, in-process tasks) when they are not.
Variables already set in the environment are left alone.
"""

import os
import socket
import sys

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/9"  # a database number of its own


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def main() -> None:
    if "DATABASE_URL" not in os.environ:
        if _answers("127.0.0.1", 5432):
            print(f"DATABASE_URL={POSTGRES_URL}")
        else:
            print("PostgreSQL is not answering on 127.0.0.1:5432: using SQLite", file=sys.stderr)
    if "REDIS_URL" not in os.environ:
        if _answers("127.0.0.1", 6379):
            print(f"REDIS_URL={REDIS_URL}")
        else:
            print("Redis is not answering on 127.0.0.1:6379: tasks run in-process", file=sys.stderr)


if __name__ == "__main__":
    main()
