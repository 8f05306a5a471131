# Tag rows carry copies of their order's placed_at and archived, filled here from the orders,
# and one index on them serves Order Management filtered by a tag; it leads with the tag, so
# the tag's own foreign key index goes.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def copy_from_orders(apps, schema_editor):
    OrderTag = apps.get_model("ordering", "OrderTag")
    Order = apps.get_model("ordering", "Order")
    order = Order.objects.filter(pk=models.OuterRef("order_id"))
    OrderTag.objects.update(
        placed_at=models.Subquery(order.values("placed_at")[:1]),
        archived=models.Subquery(order.values("archived")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("ordering", "0010_order_sums_revision")]

    operations = [
        migrations.AddField(
            model_name="ordertag",
            name="archived",
            field=models.BooleanField(default=False),
        ),
        # The default only fills the column as it is added; copy_from_orders sets the values.
        migrations.AddField(
            model_name="ordertag",
            name="placed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(copy_from_orders, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="ordertag",
            name="tag",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="order_tags",
                to="ordering.tag",
            ),
        ),
        migrations.AddIndex(
            model_name="ordertag",
            index=models.Index(
                models.F("tag"),
                models.F("archived"),
                models.OrderBy(models.F("placed_at"), descending=True),
                models.OrderBy(models.F("order"), descending=True),
                name="order_tag_listed",
            ),
        ),
    ]
