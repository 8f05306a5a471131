"""The API's JSON parser: every body read by the one JSON reader."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from linesheet.core.json_bodies import JsonBodyError, json_body_read


class JSONParser(parsers.JSONParser):
    """Read a JSON body as UTF-8 with bounded nesting; any other body is a 400 `parse_error`."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return json_body_read(stream.read())
        except JsonBodyError as exc:
            raise ParseError(str(exc)) from exc
