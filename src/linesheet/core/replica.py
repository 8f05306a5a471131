"""The optional read replica (DATABASE_REPLICA_URL), and the reads that are sent to it.

Nothing is sent to the replica by guessing: a read goes there only when its code names the
replica, with `QuerySet.using(replica_alias())` or inside `replica_reads()`. Analytics,
exports and PDF lines do; a page that must show what its user has just written never does,
since the replica may trail the primary by its replication lag. Without a replica configured
both name the primary, so the same code runs on one database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# Models a reporting path writes and then reads back at once (the analytics month sums): they
# are read from the primary, where the writes are, even inside replica_reads().
PRIMARY_ONLY = frozenset({"reporting.AnalyticsMonth", "reporting.AnalyticsMonthSum"})

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_alias() -> str:
    """Return the alias reporting reads use: the replica when one is configured."""
    return REPLICA if REPLICA in connections.settings else DEFAULT_DB_ALIAS


@contextmanager
def replica_reads() -> Iterator[str]:
    """Send the block's ORM reads to the replica (when configured); yield its alias."""
    token = _replica_reads.set(True)
    try:
        yield replica_alias()
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Reads inside replica_reads() go to the replica; every write goes to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _replica_reads.get() and model._meta.label not in PRIMARY_ONLY:
            return replica_alias()
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        # Never the replica, even for a row that was read from it.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: a row read from one relates to one of the other.
        databases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica receives the primary's schema through replication.
        return False if db == REPLICA else None
