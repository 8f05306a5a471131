from __future__ import annotations

from pathlib import Path

import pytest

from linesheet.settings import database_settings, email_settings

SMTP = "django.core.mail.backends.smtp.EmailBackend"
POSTGRES = "postgres://linesheet:pw@db.example.test:5432/linesheet"


def test_postgresql_binds_parameters_server_side_and_prepares_repeated_statements() -> None:
    database = database_settings(POSTGRES, server_side_binding=True)

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}


def test_server_side_binding_can_be_turned_off_for_a_transaction_pooler() -> None:
    database = database_settings(POSTGRES, server_side_binding=False)

    assert database.get("OPTIONS", {}) == {}


def test_options_given_in_the_postgresql_url_are_kept() -> None:
    database = database_settings(f"{POSTGRES}?sslmode=require", server_side_binding=True)

    assert database["OPTIONS"]["sslmode"] == "require"
    assert database["OPTIONS"]["server_side_binding"] is True


def test_sqlite_queues_writers_and_makes_the_folder_of_its_file(tmp_path: Path) -> None:
    database = database_settings(f"sqlite:///{tmp_path}/var/db.sqlite3", server_side_binding=True)

    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "server_side_binding" not in database["OPTIONS"]
    assert database["CONN_MAX_AGE"] == 0
    assert (tmp_path / "var").is_dir()


@pytest.mark.parametrize("url", ["console://", ""])
def test_console_or_nothing_prints_emails_to_the_console(url: str) -> None:
    assert email_settings(url) == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_plain_smtp_names_host_and_port_without_tls() -> None:
    assert email_settings("smtp://127.0.0.1:1025") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": 1025,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


def test_smtp_without_a_port_uses_25() -> None:
    assert email_settings("smtp://mail.example.test")["EMAIL_PORT"] == 25


def test_smtp_tls_uses_starttls_with_the_credentials() -> None:
    settings = email_settings("smtp+tls://mailer:s3cret@smtp.example.test:587")

    assert settings["EMAIL_HOST"] == "smtp.example.test"
    assert settings["EMAIL_PORT"] == 587
    assert settings["EMAIL_HOST_USER"] == "mailer"
    assert settings["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert settings["EMAIL_USE_TLS"] is True
    assert settings["EMAIL_USE_SSL"] is False


def test_smtps_uses_implicit_tls_on_465_by_default() -> None:
    settings = email_settings("smtps://mailer:pw@smtp.example.test")

    assert settings["EMAIL_PORT"] == 465
    assert settings["EMAIL_USE_SSL"] is True
    assert settings["EMAIL_USE_TLS"] is False


def test_percent_encoded_credentials_are_decoded() -> None:
    settings = email_settings("smtp+tls://user%40example.test:p%40ss%3Aword%2F@smtp.example.test")

    assert settings["EMAIL_HOST_USER"] == "user@example.test"
    assert settings["EMAIL_HOST_PASSWORD"] == "p@ss:word/"


def test_an_unknown_scheme_is_refused_with_the_schemes_that_work() -> None:
    with pytest.raises(ValueError, match="console, smtp, smtp\\+tls, smtps"):
        email_settings("sendgrid://key@api")


def test_postgresql_connections_are_kept_and_checked_before_reuse() -> None:
    database = database_settings(POSTGRES, server_side_binding=True)

    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)


def test_postgresql_connections_can_be_closed_after_each_request() -> None:
    database = database_settings(POSTGRES, server_side_binding=True, conn_max_age=0)

    assert database["CONN_MAX_AGE"] == 0


def test_behind_pgbouncer_in_transaction_mode_nothing_outlives_a_transaction() -> None:
    database = database_settings(POSTGRES, server_side_binding=True, pooler="pgbouncer-transaction")

    assert database["OPTIONS"] == {"server_side_binding": False, "prepare_threshold": None}
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)


def test_an_unknown_pooler_is_refused() -> None:
    with pytest.raises(ValueError, match="pgbouncer-transaction"):
        database_settings(POSTGRES, server_side_binding=True, pooler="pgbouncer-session")
