# Foreign keys that lead a composite index or unique constraint lose their own index
# (the constraint itself is left alone; see core.migration_operations).

import django.db.models.deletion
from django.db import migrations, models

from linesheet.core.migration_operations import drop_foreign_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_lean_foreign_key_indexes"),
        ("ordering", "0011_ordertag_listed"),
    ]

    operations = [
        drop_foreign_key_index(
            "ordering",
            "ordertag",
            "order",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="order_tags",
                to="ordering.order",
            ),
        ),
        drop_foreign_key_index(
            "ordering",
            "tag",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="order_tags",
                to="accounts.brand",
            ),
        ),
    ]
