from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ordering", "0007_report_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["brand", "placed_at", "status", "currency", "id"],
                name="order_brand_placed_report",
            ),
        ),
    ]
