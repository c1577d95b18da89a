"""What the PostgreSQL benchmarks share: their own database, created when missing."""

from __future__ import annotations


def ensure_database(url: str) -> None:
    """Create the database ``url`` names unless it exists (connecting to ``postgres`` on the same
    server); raises when PostgreSQL cannot be reached."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
