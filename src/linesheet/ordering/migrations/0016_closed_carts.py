# What became of a cart that is gone (ordered or deleted), so that links to it keep working.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_time_zones"),
        ("catalog", "0002_lean_foreign_key_indexes"),
        ("ordering", "0015_numbering_date_prefix_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ClosedCart",
            fields=[
                ("cart_id", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                (
                    "outcome",
                    models.CharField(
                        choices=[("ordered", "Ordered"), ("deleted", "Deleted")], max_length=10
                    ),
                ),
                ("closed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "catalog",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.catalog",
                    ),
                ),
                (
                    "closed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "order",
                    models.OneToOneField(
                        blank=True,
                        help_text="The order placed from the cart.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="placed_from_cart",
                        to="ordering.order",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.buyerorganization",
                    ),
                ),
                (
                    "returned_order",
                    models.ForeignKey(
                        blank=True,
                        help_text="The order the brand had returned into the cart, for a returned cart.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ordering.order",
                    ),
                ),
            ],
        ),
    ]
