"""Keyset (cursor) pages, newest first: cost stays flat however deep the page is."""

from __future__ import annotations

import base64
import datetime
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from linesheet.core.errors import InvalidInput
from linesheet.core.json_bodies import json_body_read
from linesheet.core.url_converters import MAX_ID

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    items: list[M]
    next_cursor: str | None


def encode_cursor(moment: datetime.datetime, pk: int) -> str:
    """Return the cursor of the page that starts after the row (`moment`, `pk`)."""
    raw = json.dumps([moment.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        # The one JSON reader: a cursor is typed by whoever sends the request.
        moment, pk = json_body_read(base64.urlsafe_b64decode(padded.encode()))
        parsed = datetime.datetime.fromisoformat(moment)
        if not isinstance(pk, int) or not 0 < pk <= MAX_ID or parsed.tzinfo is None:
            raise ValueError(cursor)
        return parsed, pk
    except (ValueError, TypeError) as exc:  # JsonBodyError and binascii.Error among them
        raise InvalidInput.field(
            "cursor", "invalid_cursor", _("The page cursor is not valid; start from page one.")
        ) from exc


def keyset_page(
    queryset: QuerySet[M], *, cursor: str | None, limit: int, time_field: str = "placed_at"
) -> KeysetPage[M]:
    """Return `limit` rows ordered by (`time_field` desc, id desc) after the cursor.

    One query: it fetches one row more than asked to learn whether a next page exists.
    """
    ordered = queryset.order_by(f"-{time_field}", "-id")
    if cursor:
        moment, pk = _decode(cursor)
        # Rows after (moment, pk). The first bound repeats what the OR says so that the
        # database can start the index scan at the cursor: an OR alone bounds nothing, and
        # PostgreSQL would read (and discard) every row of the earlier pages.
        ordered = ordered.filter(
            Q(**{f"{time_field}__lte": moment}),
            Q(**{f"{time_field}__lt": moment}) | Q(**{time_field: moment, "id__lt": pk}),
        )
    rows = list(ordered[: limit + 1])
    items = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor(getattr(last, time_field), last.pk)
    return KeysetPage(items=items, next_cursor=next_cursor)
