"""A fingerprint of every domain table: its row count and a hash of all its rows."""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection

# Every app whose tables hold what a request may change: ours and the task queue.
DOMAIN_APPS = frozenset(
    {
        "accounts",
        "catalog",
        "ordering",
        "documents",
        "notifications",
        "reporting",
        "api",
        "django_tasks_database",
    }
)

Fingerprint = dict[str, tuple[int, str]]


# Columns a read writes: when an API token was last used is bookkeeping of the request itself.
BOOKKEEPING_COLUMNS = {"accounts_apitoken": {"last_used_at"}}


def domain_tables() -> list[tuple[str, str, list[str]]]:
    """Return (table, primary key column, the columns to compare) of every domain table."""
    return sorted(
        (
            model._meta.db_table,
            model._meta.pk.column,
            [
                field.column
                for field in model._meta.concrete_fields
                if field.column not in BOOKKEEPING_COLUMNS.get(model._meta.db_table, set())
            ],
        )
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS and not model._meta.proxy
    )


def fingerprint() -> Fingerprint:
    """Return {table: (rows, hash of every row in primary key order)}."""
    quote = connection.ops.quote_name
    tables: Fingerprint = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip for every table: the server hashes the rows.
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s, count(*), md5(coalesce(string_agg("
                    f"ROW({', '.join(f't.{quote(column)}' for column in columns)})::text, '|' "
                    f"ORDER BY t.{quote(key)}), '')) "
                    f"FROM {quote(table)} t"
                    for table, key, columns in domain_tables()
                ),
                [table for table, _key, _columns in domain_tables()],
            )
            return {table: (count, digest) for table, count, digest in cursor.fetchall()}
        for table, key, columns in domain_tables():
            # Raw SQL: the ORM's per-query cost would dominate the matrix's run time.
            cursor.execute(
                f"SELECT {', '.join(quote(column) for column in columns)} "
                f"FROM {quote(table)} ORDER BY {quote(key)}"
            )
            rows = cursor.fetchall()
            tables[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return tables


def changed_tables(before: Fingerprint, after: Fingerprint) -> list[str]:
    """Name each table whose rows differ, with its row counts."""
    return [
        f"{table} ({before.get(table, (0, ''))[0]} -> {after.get(table, (0, ''))[0]} rows)"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    ]
