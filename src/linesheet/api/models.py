"""What the API keeps for itself: the Idempotency-Key of each write and the answer it got."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """One client's Idempotency-Key, the request it came with and the response it got.

    The row is inserted before the operation runs, in the operation's transaction: the unique
    constraint makes a concurrent request with the same key wait for the first to finish, then
    replay its response instead of running the operation a second time.
    """

    # Indexed first in the (user, key) unique constraint; no index of its own to write.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    # The JSON exactly as first sent (a jsonb column would reorder its keys on PostgreSQL).
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
