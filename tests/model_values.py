"""Compare model instances by what they hold: every concrete field's value."""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def field_values(instance: Model | None) -> dict[str, Any] | None:
    """Every concrete field's value by its attribute name; None for no instance."""
    if instance is None:
        return None
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }
