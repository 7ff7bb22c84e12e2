"""Fault tests: the app against its own PostgreSQL cluster, Redis and worker, which they break."""
