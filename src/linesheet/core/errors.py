"""The base of every refusal: a stable code, named params and a translatable message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business operation refused, with a stable lower-snake `code` and named `params`.

    Subclasses set `messages` (code -> translatable template using the params) and `status`
    (the HTTP status the API answers with; 409 for refused operations).
    """

    messages: ClassVar[Mapping[str, Promise | str]] = {}
    default_message: ClassVar[Promise | str] = _("The operation was refused.")
    status: int = 409

    def __init__(self, code: str, *, status: int | None = None, **params: Any) -> None:
        self.code = code
        self.params = params
        if status is not None:
            self.status = status
        super().__init__(self.message)

    @property
    def message(self) -> str:
        template = self.messages.get(self.code, self.default_message)
        try:
            return str(template) % self.params
        except (KeyError, TypeError, ValueError):
            return str(template)

    def as_dict(self) -> dict[str, Any]:
        """Return the code, message and params, JSON-ready."""
        return {"code": self.code, "message": self.message, **_jsonable(self.params)}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.params!r})"


def _jsonable(params: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value
        if isinstance(value, (str, int, float, bool, list, dict, type(None)))
        else str(value)
        for key, value in params.items()
    }


class InvalidInput(DomainError):
    """Input refused field by field: code `invalid`, `errors` maps a field to its problems."""

    status = 400
    default_message = _("Some of the input is not valid.")

    def __init__(self, errors: Mapping[str, list[dict[str, str]]]) -> None:
        super().__init__("invalid", errors=dict(errors))

    @classmethod
    def field(cls, field: str, code: str, message: str) -> InvalidInput:
        """Return the refusal of one field with its own code and message."""
        return cls({field: [{"code": code, "message": str(message)}]})
