# Products get a category, which buyers filter a catalog's gallery by.

import django.db.models.deletion
from django.db import migrations, models

from linesheet.core.migration_operations import drop_foreign_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_organization_members"),
        ("catalog", "0003_access_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="category",
            field=models.CharField(blank=True, default="", max_length=60, verbose_name="category"),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["catalog", "category"], name="product_catalog_category"),
        ),
        # The new index leads with the catalog: the foreign key's own index is one too many.
        drop_foreign_key_index(
            "catalog",
            "product",
            "catalog",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="products",
                to="catalog.catalog",
            ),
        ),
    ]
