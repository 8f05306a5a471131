"""SQL written once from the models' metadata, for the few hot paths that run on every request.

The ORM compiles a queryset into SQL again on every call; for a lookup answered by one index
probe that compile costs several times what the database takes to answer. `related_select`
writes a model's SELECT with its related rows joined (as `select_related` joins them) once per
database, and turns each row back into the instances the ORM would have built: every value
converted as the ORM converts it, the related instances cached, a missing relation as None.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import NOT_PROVIDED, ForeignKey, Model
from django.db.models.expressions import Col


def column(model: type[Model], field: str, *, using: str = DEFAULT_DB_ALIAS) -> str:
    """Return the quoted column of `model`'s `field`."""
    name = model._meta.get_field(field).column  # type: ignore[union-attr]
    assert isinstance(name, str)
    return connections[using].ops.quote_name(name)


def table(model: type[Model], *, using: str = DEFAULT_DB_ALIAS) -> str:
    """Return `model`'s quoted table name."""
    return connections[using].ops.quote_name(model._meta.db_table)


@dataclass(frozen=True)
class _Part:
    """One model's columns in the row, and the relation it hangs from."""

    model: type[Model]
    start: int
    attnames: tuple[str, ...]
    pk_index: int
    # (column index, the backend's and the field's converters, the column) as the ORM applies them
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Col], ...]
    parent: int | None = None
    field: ForeignKey[Any, Any] | None = None


@dataclass(frozen=True)
class RelatedSelect:
    """`SELECT <every column> FROM <model> t0 JOIN <related> t1 ...`, without a WHERE clause.

    `aliases` names the table alias of each relation path ("" is the model's own table), for the
    caller's WHERE clause; `instance` turns a fetched row into the model instance.
    """

    using: str
    sql: str
    aliases: Mapping[str, str]
    parts: tuple[_Part, ...]

    def alias(self, path: str = "") -> str:
        return self.aliases[path]

    def one(self, sql: str, params: Sequence[Any]) -> Model | None:
        """Run `sql` (this SELECT with a WHERE matching one row at most) and return that row's
        instance, or None when nothing matches."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return None if row is None else self.instance(row)

    def instance(self, row: Sequence[Any]) -> Model:
        connection = connections[self.using]
        instances: list[Model | None] = []
        for part in self.parts:
            values = list(row[part.start : part.start + len(part.attnames)])
            for index, converters, col in part.converters:
                for convert in converters:
                    values[index] = convert(values[index], col, connection)
            parent = instances[part.parent] if part.parent is not None else None
            instance = (
                None
                if part.field is not None and (parent is None or values[part.pk_index] is None)
                else part.model.from_db(self.using, part.attnames, values)
            )
            if part.field is not None and parent is not None:
                part.field.set_cached_value(parent, instance)
            instances.append(instance)
        model_instance = instances[0]
        assert model_instance is not None
        return model_instance


@functools.cache
def related_select(model: type[Model], related: tuple[str, ...], using: str) -> RelatedSelect:
    """Write `model`'s SELECT joined with the `related` paths (as in select_related), once.

    A nullable relation is a LEFT JOIN, as select_related writes it; a path's parent must come
    before it in `related` ("buyer" before "buyer__organization").
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    columns: list[str] = []
    joins: list[str] = []
    parts: list[_Part] = []
    aliases: dict[str, str] = {}

    def add(path: str, model: type[Model], parent: int | None, field: Any) -> None:
        alias = f"t{len(parts)}"
        aliases[path] = alias
        fields = model._meta.concrete_fields
        converters = []
        for index, model_field in enumerate(fields):
            col = model_field.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                converters.append((index, tuple(found), col))
        parts.append(
            _Part(
                model=model,
                start=len(columns),
                attnames=tuple(f.attname for f in fields),
                pk_index=fields.index(model._meta.pk),
                converters=tuple(converters),
                parent=parent,
                field=field,
            )
        )
        columns.extend(f"{alias}.{quote(f.column)}" for f in fields)  # type: ignore[arg-type]

    add("", model, None, None)
    for path in related:
        parent_path, _sep, name = path.rpartition("__")
        parent = list(aliases).index(parent_path)
        field = parts[parent].model._meta.get_field(name)
        assert isinstance(field, ForeignKey), path
        alias = f"t{len(parts)}"
        joins.append(
            f" {'LEFT JOIN' if field.null else 'JOIN'} {quote(field.related_model._meta.db_table)}"
            f" {alias} ON {alias}.{quote(field.target_field.column)}"  # type: ignore[arg-type]
            f" = {aliases[parent_path]}.{quote(field.column)}"
        )
        add(path, field.related_model, parent, field)
    return RelatedSelect(
        using=using,
        sql=f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} t0{''.join(joins)}",
        aliases=aliases,
        parts=tuple(parts),
    )


@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: tuple[Any, ...]
    returning: bool


@functools.cache
def _insert_statement(model: type[Model], using: str) -> _Insert:
    """Write `model`'s INSERT of every concrete field but the auto primary key, once."""
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field)
    for field in fields:
        # What save() would treat specially; none of the models inserted here has such a field.
        assert not field.generated and field.db_default is NOT_PROVIDED, field
    returning = bool(connection.features.can_return_columns_from_insert)
    columns = ", ".join(quote(f.column) for f in fields)  # type: ignore[arg-type]
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table(model, using=using)} ({columns}) VALUES ({placeholders})"
    if returning:
        sql += f" RETURNING {column(model, meta.pk.name, using=using)}"
    return _Insert(sql=sql, fields=fields, returning=returning)


def insert(instance: Model, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Insert a new `instance` as `save(force_insert=True)` does, with the statement written once.

    For the rows every order operation writes (its event, the buyer's email, the returned cart):
    each field's value is prepared as save() prepares it (its default, `auto_now`, the
    database's form of a date or JSON), the new primary key is set and the instance is marked
    saved. Unlike save(), no pre_save or post_save signal is sent and no save() override runs:
    use it only for models that have neither.
    """
    connection = connections[using]
    statement = _insert_statement(type(instance), using)
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for field in statement.fields
    ]
    meta = instance._meta
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, values)
        if statement.returning:
            row = cursor.fetchone()
            assert row is not None
            pk = row[0]
        else:
            pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.attname)
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = using


@functools.cache
def _update_statement(
    model: type[Model], names: tuple[str, ...], using: str
) -> tuple[str, tuple[Any, ...]]:
    """Write the UPDATE of `names` of one `model` row by primary key, once."""
    sets = ", ".join(f"{column(model, name, using=using)} = %s" for name in names)
    pk = column(model, model._meta.pk.name, using=using)
    return (
        f"UPDATE {table(model, using=using)} SET {sets} WHERE {pk} = %s",
        tuple(model._meta.get_field(name) for name in names),
    )


def update(model: type[Model], pk: Any, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> None:
    """Set `values` on the `model` row `pk` as `QuerySet.update` would, the statement written once.

    Each value is prepared as its field prepares it for saving (the database's form of a
    date or JSON). Like QuerySet.update, no signal is sent and no save() override runs.
    """
    connection = connections[using]
    sql, fields = _update_statement(model, tuple(values), using)
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, pk])
