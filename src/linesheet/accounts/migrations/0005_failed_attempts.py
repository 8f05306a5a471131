# Failed logins become failed attempts at a door: the login's password, or an order link's
# passcode. The rows kept (logins failed within the window) go on counting as logins.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_time_zones"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="loginfailure", name="login_failure_email"),
        migrations.RemoveIndex(model_name="loginfailure", name="login_failure_address"),
        migrations.RemoveIndex(model_name="loginfailure", name="login_failure_age"),
        migrations.RenameModel(old_name="LoginFailure", new_name="FailedAttempt"),
        migrations.RenameField(model_name="failedattempt", old_name="email", new_name="subject"),
        migrations.AddField(
            model_name="failedattempt",
            name="door",
            field=models.CharField(
                choices=[("login", "Password"), ("passcode", "Order link passcode")],
                default="login",
                max_length=10,
            ),
        ),
        migrations.AddIndex(
            model_name="failedattempt",
            index=models.Index(
                fields=["door", "subject", "failed_at"], name="failed_attempt_subject"
            ),
        ),
        migrations.AddIndex(
            model_name="failedattempt",
            index=models.Index(
                fields=["door", "address", "failed_at"], name="failed_attempt_address"
            ),
        ),
        migrations.AddIndex(
            model_name="failedattempt",
            index=models.Index(fields=["failed_at"], name="failed_attempt_age"),
        ),
    ]
