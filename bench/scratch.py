"""A scratch PostgreSQL database for one benchmark run: created at the start, dropped at the end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def with_database(url: str, name: str) -> str:
    """Return `url` pointing at database `name` on the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards.

    BENCH_DATABASE names an existing database to use (and keep) instead, so a loaded data set
    can be measured again without loading it again; BENCH_KEEP=1 keeps the new one.
    """
    reuse = os.environ.get("BENCH_DATABASE")
    if reuse:
        yield with_database(server_url, reuse)
        return
    name = f"linesheet_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(server_url, name)
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"kept the data set: BENCH_DATABASE={name}")
        else:
            with psycopg.connect(server_url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
