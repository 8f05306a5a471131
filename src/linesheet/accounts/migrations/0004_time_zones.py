# Times are shown in the viewer's time zone: the user's own, else that of the brand or buyer
# organisation the page works for. Existing brands and organisations get TIME_ZONE.

from django.db import migrations, models

import linesheet.core.time_zones


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_lean_foreign_key_indexes")]

    operations = [
        migrations.AddField(
            model_name="brand",
            name="time_zone",
            field=models.CharField(
                default=linesheet.core.time_zones.default_time_zone,
                max_length=64,
                validators=[linesheet.core.time_zones.validate_time_zone],
                verbose_name="time zone",
            ),
        ),
        migrations.AddField(
            model_name="buyerorganization",
            name="time_zone",
            field=models.CharField(
                default=linesheet.core.time_zones.default_time_zone,
                max_length=64,
                validators=[linesheet.core.time_zones.validate_time_zone],
                verbose_name="time zone",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="time_zone",
            field=models.CharField(
                blank=True,
                max_length=64,
                validators=[linesheet.core.time_zones.validate_time_zone],
                verbose_name="time zone",
            ),
        ),
    ]
