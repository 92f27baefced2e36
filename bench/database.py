"""The throwaway PostgreSQL database a benchmark runs on."""

from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def database_ensure(url: str) -> None:
    """Create the bench database when it is missing."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as maintenance:
        if not maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
