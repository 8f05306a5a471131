"""The services' transactions, and the all-or-nothing block that spares their savepoints.

Every service opens `operation()`: a transaction of its own, or a savepoint when its caller is
already in one, so a caller may catch the service's refusal and go on. A caller that never goes
on after an error (the API's Idempotency-Key wrapper: its key row and the operation commit or
roll back together) opens `all_or_nothing()` instead; the services inside it then take no
savepoint, since any error ends the whole transaction anyway. That spares two round trips
(SAVEPOINT, RELEASE) on every such request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

# The connections (by alias) inside an all_or_nothing() block, in this thread: Django's
# connections are per thread, and so is this.
_ATTRIBUTE = "linesheet_all_or_nothing"


def operation(using: str = DEFAULT_DB_ALIAS) -> transaction.Atomic:
    """The atomic block of one service (see the module docstring)."""
    connection = connections[using]
    return transaction.atomic(using, savepoint=not getattr(connection, _ATTRIBUTE, False))


@contextmanager
def all_or_nothing(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction that any error inside ends as a whole: services in it take no savepoint.

    Only for a caller that lets every exception from inside propagate (or rolls back itself):
    after an error in a service without a savepoint, the transaction can run no more queries.
    """
    connection = connections[using]
    outer = getattr(connection, _ATTRIBUTE, False)
    with transaction.atomic(using):
        setattr(connection, _ATTRIBUTE, True)
        try:
            yield
        finally:
            setattr(connection, _ATTRIBUTE, outer)
