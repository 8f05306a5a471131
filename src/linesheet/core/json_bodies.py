"""Read a request's JSON body: UTF-8 only, nested at most MAX_JSON_DEPTH deep.

JSON exchanged between systems is UTF-8 (RFC 8259, section 8.1), and `application/json`
defines no charset parameter, so a declared charset is ignored: every reader of a body (the
API's parser, the login throttle) reads the same bytes the same way. Nesting is bounded before
anything recurses over the value; Python's own parser would raise RecursionError first.
"""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DEPTH = 32


class JsonBodyError(ValueError):
    """The body is not JSON this service reads; the message says why, for the client."""


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Say whether `value` nests deeper than `limit` (iteratively: no recursion to overflow)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def json_body_read(body: bytes) -> Any:
    """Return the JSON value of a request body, or raise JsonBodyError."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonBodyError(
            f"The body is not UTF-8 (byte {exc.start}): JSON is sent as UTF-8."
        ) from exc
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError as exc:
        raise JsonBodyError(f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.") from exc
    except ValueError as exc:
        raise JsonBodyError(f"The body is not valid JSON: {exc}.") from exc
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise JsonBodyError(f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.")
    return value


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python's parser accepts them unless told otherwise.
    raise ValueError(f"{name} is not a JSON value")
