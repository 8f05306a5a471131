# The OC lines are vacuumed and analyzed like the order lines (ordering 0017): after 0.5-1% of
# the table changed instead of 20%. Nothing on SQLite.

from django.db import migrations

from linesheet.core.migration_operations import set_autovacuum


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_confirmation_version")]

    operations = [
        set_autovacuum(
            "documents",
            "orderconfirmationline",
            autovacuum_vacuum_scale_factor=0.01,
            autovacuum_vacuum_insert_scale_factor=0.005,
            autovacuum_analyze_scale_factor=0.01,
        )
    ]
