"""Production settings from the environment, the security headers, and pages CSP can serve."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from linesheet.core.csp import POLICY
from tests import factories
from tests.integration.security.requests import (
    content_of,
    rightful,
    world_in_transaction,
)
from tests.integration.security.routes import (
    BRAND_PAGE,
    BUYER_PAGE,
    PUBLIC,
    USER_PAGE,
    Route,
    all_routes,
    order_parameter_keys,
    url_of,
)
from tests.integration.security.world import World

SETTINGS_SHOWN = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
]
# Variables that would change what the settings module computes: each run sets its own.
SETTINGS_VARIABLES = [
    "DEBUG",
    "BASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]


def production_environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50)[:50],
        ALLOWED_HOSTS="example.com",
        BASE_URL="https://example.com",
        DJANGO_SETTINGS_MODULE="linesheet.settings",
    )
    env.update(extra)
    return env


def settings_under(env: dict[str, str]) -> dict[str, Any]:
    """Return the settings the module computes from this environment (in a fresh process)."""
    script = (
        "import json, linesheet.settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {SETTINGS_SHOWN!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(result.stdout))


def deploy_check(*tags: str) -> subprocess.CompletedProcess[str]:
    tagged = [argument for tag in tags for argument in ("--tag", tag)]
    manage = [sys.executable, "-c", "from linesheet.manage import main; main()"]
    return subprocess.run(
        [*manage, "check", "--deploy", *tagged],
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_the_security_deploy_checks_find_nothing_with_a_production_environment() -> None:
    result = deploy_check("security")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_the_deploy_checks_print_no_warning_at_all() -> None:
    """`linesheet check --deploy`: the security checks and every other (the API schema's too)."""
    result = deploy_check()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_is_https_only_by_default() -> None:
    assert settings_under(production_environment()) == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }


def test_a_site_tried_on_plain_loopback_speaks_plain_http_by_default() -> None:
    environment = production_environment()
    del environment["BASE_URL"]
    shown = settings_under(environment)

    assert shown["DEBUG"] is False
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SESSION_COOKIE_SECURE"] is False
    assert shown["CSRF_COOKIE_SECURE"] is False
    assert shown["SECURE_HSTS_SECONDS"] == 0


def test_an_https_site_can_still_be_tried_over_plain_http() -> None:
    shown = settings_under(production_environment(SECURE_SSL_REDIRECT="false"))

    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SESSION_COOKIE_SECURE"] is True


def test_debug_mode_serves_plain_http_for_development() -> None:
    shown = settings_under(production_environment(DEBUG="true"))

    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SESSION_COOKIE_SECURE"] is False
    assert shown["CSRF_COOKIE_SECURE"] is False
    assert shown["SECURE_HSTS_SECONDS"] == 0


def test_each_https_setting_can_be_changed_from_the_environment() -> None:
    shown = settings_under(
        production_environment(
            SECURE_SSL_REDIRECT="false",
            SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
            SECURE_HSTS_SECONDS="3600",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
            SECURE_HSTS_PRELOAD="false",
        )
    )

    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["SECURE_HSTS_SECONDS"] == 3600
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert shown["SECURE_HSTS_PRELOAD"] is False


@pytest.mark.django_db
def test_a_page_carries_the_security_headers(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000  # an https:// BASE_URL's default
    response = Client().get("/login/", secure=True)

    assert response["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


@pytest.mark.django_db
def test_the_session_cookie_is_out_of_reach_of_scripts() -> None:
    factories.make_user(email="shop@example.test")
    response = Client().post(
        "/login/", {"username": "shop@example.test", "password": factories.PASSWORD}
    )

    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"] is True


@pytest.mark.django_db
def test_the_api_docs_load_the_swagger_ui_from_the_site_itself_under_the_same_policy() -> None:
    docs = Client().get("/api/docs/")
    start_up = Client().get("/api/docs/?script")

    assert docs.status_code == 200
    assert docs["Content-Security-Policy"] == POLICY
    assert "'unsafe-inline'" not in POLICY
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.content.decode())
    assert sources, "the page loads its Swagger UI files"
    assert all(
        source.startswith("/static/") or source == "/api/docs/?script=" for source in sources
    )
    assert "<style" not in docs.content.decode()
    assert start_up.status_code == 200
    assert start_up["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle" in start_up.content.decode()


@pytest.mark.django_db
def test_an_api_answer_carries_the_policy_too() -> None:
    response = Client().get("/api/v1/me")

    assert response.status_code == 401
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


# --- Pages a strict Content-Security-Policy can serve ----------------------------------------


class _InlineFinder(HTMLParser):
    """Find what `script-src 'self'; style-src 'self'` blocks: inline scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        kind = dict(attrs).get("type") or "text/javascript"
        # A data block (json_script's application/json) is never run, so CSP lets it be.
        if tag == "script" and "src" not in names and "javascript" in kind:
            self.found.append("an inline <script>")
        if tag == "style":
            self.found.append("a <style> element")
        if "style" in names:
            self.found.append(f'a style="" attribute on <{tag}>')
        self.found.extend(f"an {name}= handler on <{tag}>" for name in names if name[:2] == "on")
        self.found.extend(
            f"a javascript: URL on <{tag}>"
            for name, value in attrs
            if name in ("href", "src", "action") and (value or "").startswith("javascript:")
        )


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_in_transaction(django_db_blocker) as world:
        yield world


PAGES = [
    route
    for route in all_routes()
    if route.kind in (BRAND_PAGE, BUYER_PAGE, USER_PAGE, PUBLIC)
    and not route.route.startswith("api/")
    and not route.route.endswith((".pdf", ".xlsx"))
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PAGES, ids=str)
def test_no_page_has_inline_script_or_style(world: World, route: Route) -> None:
    keys = order_parameter_keys(route)
    choices = [dict.fromkeys(keys, order) for order in world.orders.values()] if keys else [{}]
    people = ["anonymous", "buyer"] if route.kind == PUBLIC else [rightful(route)]
    found = []
    for who in people:
        for chosen in choices:
            url = url_of(route, world, **chosen)
            response = world.clients[who].get(url)
            if "text/html" in response.get("Content-Type", ""):
                found += [
                    f"{url} as {who}: {item}" for item in inline_code(content_of(response).decode())
                ]
    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.django_db
def test_the_error_pages_have_no_inline_script_or_style(world: World) -> None:
    not_found = world.clients["rival_owner"].get("/brand/vesper/orders/")
    forbidden = world.clients["viewer"].get("/brand/vesper/catalogs/new/")

    assert (not_found.status_code, forbidden.status_code) == (404, 403)
    assert inline_code(not_found.content.decode()) == []
    assert inline_code(forbidden.content.decode()) == []
