# The date prefixes' labels lose their fixed example years: the settings page adds what each
# writes today. Labels only; nothing changes in the database.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ordering", "0014_indexes_for_archived_or_not")]

    operations = [
        migrations.AlterField(
            model_name="ordernumbering",
            name="date_format",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "No date"),
                    ("%Y", "Year"),
                    ("%Y%m", "Year and month"),
                    ("%Y%m%d", "Date"),
                ],
                default="",
                max_length=10,
                verbose_name="date prefix",
            ),
        ),
    ]
