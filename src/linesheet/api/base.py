"""What every API view does around its one service call: parse the body, name the actor, answer
404 for what is not (or no longer) there."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from linesheet.accounts.models import User
from linesheet.documents.models import DeliveryNote
from linesheet.ordering.models import Order


@contextmanager
def missing_is_not_found() -> Iterator[None]:
    """Answer 404 when the service finds no such order or delivery note (any more)."""
    try:
        yield
    except (Order.DoesNotExist, DeliveryNote.DoesNotExist) as exc:
        raise NotFound() from exc


def parsed(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def actor(request: Request) -> User:
    return cast(User, request.user)


def refusals(*codes: str) -> str:
    return "Refusals (409): " + ", ".join(f"`{code}`" for code in codes) + "."
