"""Every foreign key is indexed exactly once: by its own index or by leading a composite one.

An unindexed key makes every delete of the row it points at, and every join from it, read the
whole table; an index of its own beside a composite index it leads is only one more to write
on every insert and on every update that moves the row (see ordering 0009).
"""

from __future__ import annotations

from django.apps import apps
from django.db import models


def _leading_fields(model: type[models.Model]) -> list[str]:
    """The first field of each of the model's indexes and unique constraints over every row.

    A partial index (one with a condition) serves only the rows it holds, so it does not count.
    """
    leading = []
    for index in model._meta.indexes:
        if index.condition is None:
            first = index.fields[0] if index.fields else getattr(index.expressions[0], "name", "")
            leading.append(first.lstrip("-"))
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        ):
            leading.append(constraint.fields[0])
    for together in model._meta.unique_together:
        leading.append(together[0])
    return leading


def _project_foreign_keys() -> list[tuple[type[models.Model], models.ForeignKey]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("linesheet.")
        for field in model._meta.local_fields
        if isinstance(field, models.ForeignKey) and not field.one_to_one
    ]


def test_every_foreign_key_is_indexed_once() -> None:
    unindexed, twice = [], []
    for model, field in _project_foreign_keys():
        leads = field.name in _leading_fields(model)
        if field.db_index and leads:
            twice.append(f"{model.__name__}.{field.name}")
        if not field.db_index and not leads:
            unindexed.append(f"{model.__name__}.{field.name}")

    assert (unindexed, twice) == ([], [])
