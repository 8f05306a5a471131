# Foreign keys that lead a composite index or unique constraint lose their own index
# (the constraint itself is left alone; see core.migration_operations).

import django.db.models.deletion
from django.db import migrations, models

from linesheet.core.migration_operations import drop_foreign_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_login_failure"),
    ]

    operations = [
        drop_foreign_key_index(
            "accounts",
            "brandmembership",
            "brand",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="accounts.brand",
            ),
        ),
        drop_foreign_key_index(
            "accounts",
            "organizationmembership",
            "organization",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="accounts.buyerorganization",
            ),
        ),
        drop_foreign_key_index(
            "accounts",
            "organizationrecipient",
            "organization",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="recipients",
                to="accounts.buyerorganization",
            ),
        ),
    ]
