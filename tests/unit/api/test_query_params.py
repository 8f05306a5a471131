"""Query-parameter serializers copy their fields shallowly, and read parameters exactly as DRF's
deep copies do."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.http import QueryDict
from rest_framework import serializers

from linesheet.api.orders.serializers import BuyerOrderFiltersSerializer, OrderFiltersSerializer
from linesheet.api.serializers import QueryParamsSerializer

QUERIES = [
    "",
    "buyer=3",
    "status=awaiting_oc&catalog=7&limit=200",
    "route=sheet&code=B07&placed_from=2025-11-01&placed_to=2025-11-30&archived=true",
    "q=shop&tag=Rush&cursor=abc",
    "status=nonsense",
    "buyer=0&catalog=x&limit=201",
    "placed_from=2025-13-01&archived=maybe",
    "code=" + "C" * 61,
    "colour=red",
]


def _read(serializer_class: type[serializers.Serializer], query: str) -> tuple[Any, Any]:
    serializer = serializer_class(data=QueryDict(query))
    valid = serializer.is_valid()
    return (dict(serializer.validated_data) if valid else None, serializer.errors)


class _DeepCopied(OrderFiltersSerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return copy.deepcopy(self._declared_fields)


@pytest.mark.parametrize("query", QUERIES)
def test_parameters_are_read_as_with_deep_copied_fields(query: str) -> None:
    assert _read(OrderFiltersSerializer, query) == _read(_DeepCopied, query)


def test_each_instance_has_its_own_fields_bound_to_it() -> None:
    first, second = BuyerOrderFiltersSerializer(), BuyerOrderFiltersSerializer()
    declared = BuyerOrderFiltersSerializer._declared_fields
    for name in declared:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name] is not declared[name]
        assert first.fields[name].parent is first
        assert second.fields[name].parent is second
        assert first.fields[name].field_name == name
        assert declared[name].parent is None  # the class's own fields stay unbound


def test_a_nested_serializer_is_refused_when_the_class_is_made() -> None:
    with pytest.raises(AssertionError, match="flat"):

        class Nested(QueryParamsSerializer):
            page = BuyerOrderFiltersSerializer()
