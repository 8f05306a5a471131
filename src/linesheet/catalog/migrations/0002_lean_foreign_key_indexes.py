# Foreign keys that lead a composite index or unique constraint lose their own index
# (the constraint itself is left alone; see core.migration_operations).

import django.db.models.deletion
from django.db import migrations, models

from linesheet.core.migration_operations import drop_foreign_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_lean_foreign_key_indexes"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        drop_foreign_key_index(
            "catalog",
            "catalog",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="catalogs",
                to="accounts.brand",
            ),
        ),
        drop_foreign_key_index(
            "catalog",
            "product",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="products",
                to="accounts.brand",
            ),
        ),
        drop_foreign_key_index(
            "catalog",
            "sku",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="skus",
                to="accounts.brand",
            ),
        ),
    ]
