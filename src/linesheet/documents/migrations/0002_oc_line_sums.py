from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="orderconfirmationline",
            index=models.Index(
                fields=["confirmation", "sku", "quantity", "amount"], name="oc_line_sums"
            ),
        ),
    ]
