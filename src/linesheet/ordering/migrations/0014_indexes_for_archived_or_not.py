# Order Management's Archive filter takes "all": a tag's orders are listed from one index
# whether archived, not archived or both are asked for, so archived moves behind the order.
# Analytics count a period's returns from the orders, so the index of return events goes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ordering", "0013_numbering_affixes_without_slashes")]

    operations = [
        migrations.RemoveIndex(model_name="orderevent", name="order_event_returned"),
        migrations.RemoveIndex(model_name="ordertag", name="order_tag_listed"),
        migrations.AddIndex(
            model_name="ordertag",
            index=models.Index(
                models.F("tag"),
                models.OrderBy(models.F("placed_at"), descending=True),
                models.OrderBy(models.F("order"), descending=True),
                models.F("archived"),
                name="order_tag_listed",
            ),
        ),
    ]
