# PostgreSQL vacuums a table once 20% of its rows changed (or, since 13, were inserted): at
# 10 million order lines, 2 million new lines before the visibility map marks the recent
# pages all-visible, so the index-only scans of analytics and Order Management fetched every
# recent row from the heap. These tables are vacuumed and analyzed after 0.5-1% instead.
# Storage parameters only: no lock beyond a moment's, no rewrite. Nothing on SQLite.

from django.db import migrations

from linesheet.core.migration_operations import set_autovacuum

LARGE_TABLE_AUTOVACUUM = {
    "autovacuum_vacuum_scale_factor": 0.01,
    "autovacuum_vacuum_insert_scale_factor": 0.005,
    "autovacuum_analyze_scale_factor": 0.01,
}


class Migration(migrations.Migration):
    dependencies = [("ordering", "0016_closed_carts")]

    operations = [
        set_autovacuum("ordering", model, **LARGE_TABLE_AUTOVACUUM)
        for model in ("order", "orderline", "cartline", "orderevent")
    ]
