"""Numbering rules take prefixes and suffixes from the code alphabet: no "/", no "..".

A rule saved before that (a prefix such as "NL/") would keep issuing codes whose web addresses
break or lead elsewhere, so its "/" becomes "-" and a run of dots one dot. Codes already issued
keep their form: they are printed on documents and in the buyers' books, and their URLs still
work (core.url_converters.OrderCodeConverter).
"""

from __future__ import annotations

import re

from django.db import migrations

UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
DOTS = re.compile(r"\.{2,}")


def safe_affix(value: str) -> str:
    return DOTS.sub(".", UNSAFE.sub("-", value))[:12]


def make_affixes_safe(apps, schema_editor):
    OrderNumbering = apps.get_model("ordering", "OrderNumbering")
    for rule in OrderNumbering.objects.all():
        prefix, suffix = safe_affix(rule.prefix), safe_affix(rule.suffix)
        if (prefix, suffix) != (rule.prefix, rule.suffix):
            OrderNumbering.objects.filter(pk=rule.pk).update(prefix=prefix, suffix=suffix)


class Migration(migrations.Migration):
    dependencies = [("ordering", "0012_lean_foreign_key_indexes")]

    operations = [migrations.RunPython(make_affixes_safe, migrations.RunPython.noop)]
