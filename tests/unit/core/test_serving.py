from __future__ import annotations

import pytest

from linesheet.core.serving import gunicorn_settings


def test_by_default_it_listens_on_loopback_with_sync_workers_sized_to_the_cpus() -> None:
    settings = gunicorn_settings({}, cpus=4)

    assert settings["bind"] == ["127.0.0.1:8000"]
    assert settings["workers"] == 9
    assert settings["threads"] == 1
    assert settings["worker_class"] == "sync"
    assert settings["timeout"] == 60
    assert settings["wsgi_app"] == "linesheet.wsgi:application"


def test_the_default_workers_stop_growing_at_sixteen() -> None:
    assert gunicorn_settings({}, cpus=1)["workers"] == 3
    assert gunicorn_settings({}, cpus=64)["workers"] == 16


def test_every_setting_comes_from_the_environment() -> None:
    settings = gunicorn_settings(
        {
            "WEB_BIND": "0.0.0.0:9000, unix:/run/linesheet/web.sock",
            "WEB_WORKERS": "3",
            "WEB_THREADS": "4",
            "WEB_TIMEOUT": "120",
            "WEB_GRACEFUL_TIMEOUT": "10",
            "WEB_KEEPALIVE": "2",
            "WEB_MAX_REQUESTS": "0",
        },
        cpus=8,
    )

    assert settings["bind"] == ["0.0.0.0:9000", "unix:/run/linesheet/web.sock"]
    assert settings["workers"] == 3
    assert settings["threads"] == 4
    assert settings["worker_class"] == "gthread"
    assert settings["timeout"] == 120
    assert settings["graceful_timeout"] == 10
    assert settings["keepalive"] == 2
    assert settings["max_requests"] == 0


def test_gunicorn_believes_no_forwarded_header_django_alone_judges_https() -> None:
    settings = gunicorn_settings({}, cpus=2)

    assert settings["secure_scheme_headers"] == {}
    assert settings["forwarded_allow_ips"] == ""


@pytest.mark.parametrize("value", ["four", "-1", "2.5"])
def test_a_value_that_is_no_whole_number_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match="WEB_WORKERS"):
        gunicorn_settings({"WEB_WORKERS": value}, cpus=2)
