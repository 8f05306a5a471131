"""Keyset (cursor) pages, newest first: cost stays flat however deep the page is."""

from __future__ import annotations

import base64
import datetime
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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
    # The cursor of the page before this one; None on the first page.
    previous_cursor: str | None = None


# A cursor reads the rows after its row (the next page), or with BEFORE the rows before it
# (the previous page).
BEFORE = "before"


def encode_cursor(moment: datetime.datetime, pk: int, *, before: bool = False) -> str:
    """Return the cursor of the page after the row (`moment`, `pk`), or `before` it."""
    raw = json.dumps([moment.isoformat(), pk, BEFORE] if before else [moment.isoformat(), pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime.datetime, int, bool]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        # The one JSON reader: a cursor is typed by whoever sends the request.
        moment, pk, *direction = json_body_read(base64.urlsafe_b64decode(padded.encode()))
        parsed = datetime.datetime.fromisoformat(moment)
        if (
            not isinstance(pk, int)
            or not 0 < pk <= MAX_ID
            or parsed.tzinfo is None
            or direction not in ([], [BEFORE])
        ):
            raise ValueError(cursor)
        return parsed, pk, bool(direction)
    except (ValueError, TypeError) as exc:  # JsonBodyError and binascii.Error among them
        raise InvalidInput.field(
            "cursor", "invalid_cursor", _("The page cursor is not valid; start from page one.")
        ) from exc


def keyset_page(
    queryset: QuerySet[M], *, cursor: str | None, limit: int, time_field: str = "placed_at"
) -> KeysetPage[M]:
    """Return `limit` rows ordered by (`time_field` desc, id desc) after (or before) the cursor.

    One query: it fetches one row more than asked to learn whether a next page exists (going
    back, whether a page before exists; a page after the cursor's row always does).

    Going back to fewer rows than a page (rows before the cursor left the search since), the
    answer is the first page, in full: a second query.
    """
    newest_first = queryset.order_by(f"-{time_field}", "-id")
    if not cursor:
        return _page(list(newest_first[: limit + 1]), limit=limit, time_field=time_field)
    moment, pk, before = _decode(cursor)
    if not before:
        # Rows after (moment, pk). The first bound repeats what the OR says so that the
        # database can start the index scan at the cursor: an OR alone bounds nothing, and
        # PostgreSQL would read (and discard) every row of the earlier pages.
        rows = newest_first.filter(
            Q(**{f"{time_field}__lte": moment}),
            Q(**{f"{time_field}__lt": moment}) | Q(**{time_field: moment, "id__lt": pk}),
        )[: limit + 1]
        return _page(list(rows), limit=limit, time_field=time_field, has_previous=True)
    # Rows before (moment, pk), read oldest first from the cursor (the same index, backwards).
    earlier = list(
        queryset.order_by(time_field, "id").filter(
            Q(**{f"{time_field}__gte": moment}),
            Q(**{f"{time_field}__gt": moment}) | Q(**{time_field: moment, "id__gt": pk}),
        )[: limit + 1]
    )
    if len(earlier) < limit:
        return _page(list(newest_first[: limit + 1]), limit=limit, time_field=time_field)
    items = earlier[:limit][::-1]
    return KeysetPage(
        items=items,
        next_cursor=_cursor(items[-1], time_field),
        previous_cursor=_cursor(items[0], time_field, before=True)
        if len(earlier) > limit
        else None,
    )


def _cursor(row: Model, time_field: str, *, before: bool = False) -> str:
    return encode_cursor(getattr(row, time_field), row.pk, before=before)


def _page(
    rows: list[M], *, limit: int, time_field: str, has_previous: bool = False
) -> KeysetPage[M]:
    """Return the page of the first `limit` rows, newest first, of one more than a page."""
    items = rows[:limit]
    return KeysetPage(
        items=items,
        next_cursor=_cursor(items[-1], time_field) if len(rows) > limit else None,
        previous_cursor=_cursor(items[0], time_field, before=True)
        if has_previous and items
        else None,
    )


def count_up_to(queryset: QuerySet[Any, Any], *, cap: int, time_field: str = "placed_at") -> int:
    """Count the rows, stopping after `cap` + 1: a count over `cap` means "more than `cap`".

    One query, `SELECT COUNT(*) FROM (... ORDER BY ... LIMIT cap + 1)`: the rows are walked
    in the pages' order, so the database takes the pages' path (their index) and reads what
    the next few pages would, however many rows match. Unordered, PostgreSQL may choose a
    parallel scan of another index that reads the whole search first.
    """
    return queryset.order_by(f"-{time_field}", "-id")[: cap + 1].count()
