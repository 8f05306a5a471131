# Foreign keys that lead a composite index or unique constraint lose their own index
# (the constraint itself is left alone; see core.migration_operations).

import django.db.models.deletion
from django.db import migrations, models

from linesheet.core.migration_operations import drop_foreign_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_lean_foreign_key_indexes"),
        ("documents", "0002_oc_line_sums"),
    ]

    operations = [
        drop_foreign_key_index(
            "documents",
            "backlogskulist",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.brand",
            ),
        ),
        drop_foreign_key_index(
            "documents",
            "deliverynote",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.brand",
            ),
        ),
        drop_foreign_key_index(
            "documents",
            "documentsequence",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.brand",
            ),
        ),
        drop_foreign_key_index(
            "documents",
            "invoice",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.brand",
            ),
        ),
        drop_foreign_key_index(
            "documents",
            "orderconfirmationline",
            "confirmation",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines",
                to="documents.orderconfirmation",
            ),
        ),
        drop_foreign_key_index(
            "documents",
            "partnerinventoryslip",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.brand",
            ),
        ),
    ]
