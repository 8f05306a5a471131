from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ordering", "0006_order_search_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="orderline",
            index=models.Index(
                fields=["order", "sku", "quantity", "amount"], name="order_line_sums"
            ),
        ),
        migrations.AddIndex(
            model_name="orderevent",
            index=models.Index(
                condition=models.Q(("type", "returned_to_cart")),
                fields=["created_at"],
                name="order_event_returned",
            ),
        ),
    ]
