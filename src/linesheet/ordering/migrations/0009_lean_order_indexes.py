# The foreign keys that lead a composite index lose their own index, and one index (pattern
# operator class) serves both the unique order code and the code prefix search.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_login_failure"),
        ("catalog", "0001_initial"),
        ("ordering", "0008_order_report_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="order",
            name="order_code_unique_per_brand",
        ),
        migrations.RemoveIndex(
            model_name="order",
            name="order_brand_code_prefix",
        ),
        migrations.AlterField(
            model_name="cart",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="carts",
                to="accounts.buyerorganization",
            ),
        ),
        migrations.AlterField(
            model_name="cartline",
            name="cart",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines",
                to="ordering.cart",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="brand",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="accounts.brand",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="buyer",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="accounts.buyer",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="catalog",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="catalog.catalog",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="accounts.buyerorganization",
            ),
        ),
        migrations.AlterField(
            model_name="orderevent",
            name="order",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="ordering.order",
            ),
        ),
        migrations.AlterField(
            model_name="orderline",
            name="order",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lines",
                to="ordering.order",
            ),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.UniqueConstraint(
                fields=("brand", "code"),
                name="order_code_unique_per_brand",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
    ]
