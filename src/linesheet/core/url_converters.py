"""The URL converters every route uses: a value that cannot name anything never reaches a view.

Django's own `int`, `str` and `path` take any length and any character but "/" (`path` even
that): a NUL byte reached PostgreSQL and failed the query, a 20-digit id overflowed SQLite's
integer. These refuse such values while the URL is matched, so the answer is the page's or the
API's 404, whichever view the route leads to.
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import register_converter

# The largest value of a bigint (every primary key here), and so of any id in a URL.
MAX_ID = 2**63 - 1


_ID = re.compile("[0-9]{1,19}")


def id_of(value: str) -> int | None:
    """Return the id a URL's text names (a path segment, a query parameter), else None."""
    if not _ID.fullmatch(value):  # not "²" either, which str.isdigit() takes
        return None
    number = int(value)
    return number if number <= MAX_ID else None


class IdConverter:
    """A row's id: 1 to 19 digits, at most MAX_ID."""

    regex = _ID.pattern

    def to_python(self, value: str) -> int:
        number = id_of(value)
        if number is None:
            raise ValueError(value)  # no route matches: a 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class _TextConverter:
    regex: str

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TokenConverter(_TextConverter):
    """An unguessable link token, as secrets.token_urlsafe writes them."""

    regex = "[A-Za-z0-9_-]{1,64}"


class SignedConverter(_TextConverter):
    """A signed link's value (django.core.signing): URL-safe base64 and ":" separators."""

    regex = "[A-Za-z0-9_:-]{1,600}"


class NumberConverter(_TextConverter):
    """A document number (delivery notes): letters, digits, "-", "_" and "."."""

    regex = "[A-Za-z0-9._-]{1,40}"


# A path segment made only of dots: browsers and HTTP clients resolve "." and ".." away.
_DOTS = re.compile(r"\.+")
_ALIASED_DOTS = re.compile(r"\.+~")


class OrderCodeConverter:
    """An order code: today letters, digits, "-", "_" and "." (see ordering.numbering.AFFIX).

    Codes issued before that rule may hold "/" ("NL/000009"), sent as is or as %2F, so a
    route with a code puts its own suffixes first (orders/<code>/pdf before orders/<code>).
    Such a code may even hold a segment of dots ("../000009"), which a browser would resolve
    away: links write it with a "~" after it, which no code can hold, and reading takes the
    "~" off again.
    """

    regex = "[A-Za-z0-9._~/-]{1,80}"

    def to_python(self, value: str) -> str:
        return "/".join(
            part[:-1] if _ALIASED_DOTS.fullmatch(part) else part for part in value.split("/")
        )

    def to_url(self, value: str) -> str:
        return "/".join(f"{part}~" if _DOTS.fullmatch(part) else part for part in value.split("/"))


CONVERTERS: dict[str, type[Any]] = {
    "id": IdConverter,
    "token": TokenConverter,
    "signed": SignedConverter,
    "number": NumberConverter,
    "order_code": OrderCodeConverter,
}


def register_converters() -> None:
    """Make the converters known by name to the URL configurations (once, when apps load)."""
    for name, converter in CONVERTERS.items():
        register_converter(converter, name)
