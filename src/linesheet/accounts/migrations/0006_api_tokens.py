# API tokens of our own: named, with a lifetime and the time of last use, stored as a digest.
# Tokens issued before (DRF's authtoken table, which kept them in plain text) are carried over
# as digests with a full lifetime from now, so integrations keep working; then that table goes.

import datetime
import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

OLD_TABLE = "authtoken_token"


def carry_over_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = django.utils.timezone.now()
    expires_at = now + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")
        ApiToken.objects.using(connection.alias).bulk_create(
            ApiToken(
                user_id=user_id,
                name="API token",
                digest=hashlib.sha256(key.encode()).hexdigest(),
                # SQLite hands back the UTC time it stored, without its zone.
                created_at=created
                if django.utils.timezone.is_aware(created)
                else django.utils.timezone.make_aware(created, datetime.UTC),
                expires_at=expires_at,
            )
            for key, user_id, created in cursor.fetchall()
        )
        cursor.execute(f"DROP TABLE {OLD_TABLE}")
        cursor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_failed_attempts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("digest", models.CharField(max_length=64, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RunPython(carry_over_plain_tokens, migrations.RunPython.noop),
    ]
