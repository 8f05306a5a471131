"""Migration operations the schema editor has no cheap form of."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def _own_indexes(schema_editor: BaseDatabaseSchemaEditor, table: str, column: str) -> list[str]:
    """Return the names of the plain (not unique) indexes on `column` alone."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return sorted(
        name
        for name, found in constraints.items()
        if found["index"]
        and found["columns"] == [column]
        and not found["unique"]
        and not found["primary_key"]
    )


def drop_foreign_key_index(
    app_label: str, model_name: str, name: str, field: models.ForeignKey[Any, Any]
) -> migrations.SeparateDatabaseAndState:
    """Take a foreign key's own index away, as AlterField(db_index=False) does, and no more.

    AlterField also drops the foreign key constraint and adds it again, which makes PostgreSQL
    check every row of the table under a lock that blocks its writes: long on a table of
    millions of lines. This drops the index alone; the state becomes `field` (db_index=False).
    Undone, it builds the index again.
    """

    def column(apps: Any) -> tuple[type[models.Model], str]:
        model = apps.get_model(app_label, model_name)
        return model, model._meta.get_field(name).column

    def drop(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model, found_column = column(apps)
        table = model._meta.db_table
        for index in _own_indexes(schema_editor, table, found_column):
            schema_editor.execute(
                schema_editor.sql_delete_index
                % {
                    "table": schema_editor.quote_name(table),
                    "name": schema_editor.quote_name(index),
                }
            )

    def build(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model, found_column = column(apps)
        table = model._meta.db_table
        if not _own_indexes(schema_editor, table, found_column):
            index = models.Index(fields=[name], name=f"{table}_{found_column}"[:23] + "_fk_idx")
            schema_editor.add_index(model, index)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name, name, field)],
        database_operations=[migrations.RunPython(drop, build)],
    )
