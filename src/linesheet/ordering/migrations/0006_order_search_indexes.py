from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ordering", "0005_order_link_counts")]

    operations = [
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                models.F("buyer"),
                models.F("archived"),
                models.OrderBy(models.F("placed_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="order_buyer_placed",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                models.F("catalog"),
                models.F("archived"),
                models.OrderBy(models.F("placed_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="order_catalog_placed",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["brand", "code"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="order_brand_code_prefix",
            ),
        ),
    ]
