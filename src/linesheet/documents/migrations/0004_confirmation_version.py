# The OC counts its saves, so that a save made from an older version is refused.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_lean_foreign_key_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="orderconfirmation",
            name="version",
            field=models.PositiveIntegerField(db_default=1, default=1),
        ),
    ]
