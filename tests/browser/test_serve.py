"""`linesheet serve` as a deployment runs it: gunicorn, DEBUG off, static files from WhiteNoise.

The real command in a process of its own, on a SQLite file and a var/ folder of its own (so its
`collectstatic` really runs), behind no proxy: the tests send what a TLS-ending proxy would.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.smtp_inbox import free_loopback_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="brings its own SQLite database: run once, on the SQLite pass",
    ),
]

REPO_ROOT = Path(__file__).resolve().parents[2]
LINESHEET = Path(sys.executable).with_name("linesheet")
START_TIMEOUT = 240  # collectstatic compresses the Swagger UI's bundle: a minute on a busy machine
YEAR = 365 * 24 * 3600

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@dataclass(frozen=True)
class Served:
    port: int
    output: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, **headers: str) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response


def environment(var: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "WEB_", "SESSION_", "CSRF_"))
        and key not in {"BASE_URL", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{var / 'linesheet.sqlite3'}",
        LINESHEET_VAR_DIR=str(var),
        DEBUG="false",
        PYTHONPATH=str(REPO_ROOT),
        WEB_WORKERS="2",
    )
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deployment's var/ folder: its database, migrated, and (once served) static files."""
    var = tmp_path_factory.mktemp("var")
    subprocess.run(
        [str(LINESHEET), "migrate", "--noinput"],
        env=environment(var),
        check=True,
        capture_output=True,
        timeout=300,
    )
    return var


def serve(var: Path, **extra: str) -> Iterator[Served]:
    port = free_loopback_port()
    output = var / f"serve-{port}.log"
    with output.open("w") as log:
        process = subprocess.Popen(
            [str(LINESHEET), "serve"],
            env=environment(var, WEB_BIND=f"127.0.0.1:{port}", **extra),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served = Served(port=port, output=output)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, output.read_text()
            try:
                served.get("/health/live")
                break
            except OSError:
                assert time.monotonic() < deadline, output.read_text()
                time.sleep(0.3)
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def behind_proxy(var: Path) -> Iterator[Served]:
    """The app as production runs it: an https:// site, HTTPS judged by X-Forwarded-Proto."""
    yield from serve(
        var,
        BASE_URL="https://linesheet.example.test",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
        LOG_LEVEL="INFO",
    )


def test_a_page_is_styled_by_its_stylesheet_under_a_hashed_name_cached_for_a_year(
    browser: Browser, behind_proxy: Served
) -> None:
    context = browser.new_context(
        base_url=behind_proxy.url, extra_http_headers={"X-Forwarded-Proto": "https"}
    )
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    try:
        page.goto("/login/")
        page.wait_for_load_state("load")
        accent = page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
        )
    finally:
        context.close()

    assert accent == "#1d4e89"
    hashed = re.compile(r"/static/linesheet/app\.\w{12}\.css$")
    [stylesheet] = [response for response in responses if hashed.search(response.url)]
    assert stylesheet.status == 200
    cache = stylesheet.headers["cache-control"]
    assert "immutable" in cache and int(re.findall(r"max-age=(\d+)", cache)[0]) >= YEAR
    assert stylesheet.headers.get("content-encoding") in {"gzip", "br"}


def test_the_swagger_ui_runs_with_nothing_from_another_origin_and_no_policy_violation(
    browser: Browser, behind_proxy: Served
) -> None:
    context = browser.new_context(
        base_url=behind_proxy.url, extra_http_headers={"X-Forwarded-Proto": "https"}
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto("/api/docs/")
        page.get_by_text("linesheet API").first.wait_for(timeout=30_000)
        page.locator(".opblock").first.wait_for(timeout=30_000)
        violations = page.evaluate("window.cspViolations")
    finally:
        context.close()

    assert violations == []
    assert requested
    assert [url for url in requested if not url.startswith(behind_proxy.url + "/")] == []
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/" in url for url in requested)


def test_behind_the_proxy_only_a_request_marked_https_is_served_and_told_to_stay_on_https(
    behind_proxy: Served,
) -> None:
    plain = behind_proxy.get("/login/")
    marked_http = behind_proxy.get("/login/", **{"X-Forwarded-Proto": "http"})
    marked_https = behind_proxy.get("/login/", **{"X-Forwarded-Proto": "https"})

    assert plain.status == 301
    assert plain.headers["Location"] == f"https://127.0.0.1:{behind_proxy.port}/login/"
    assert marked_http.status == 301
    assert marked_https.status == 200
    assert marked_https.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in marked_https.headers["Set-Cookie"]


def test_the_site_tried_on_plain_loopback_answers_over_http_with_the_static_files_collected_before(
    var: Path, behind_proxy: Served
) -> None:
    """The defaults (BASE_URL http://127.0.0.1:8000), as the README's commands run it."""
    for served in serve(var):
        page = served.get("/login/")
        spoofed = served.get("/login/", **{"X-Forwarded-Proto": "https"})
        stylesheet = re.findall(r"/static/linesheet/app\.\w{12}\.css", _body(served, "/login/"))
        css = served.get(stylesheet[0])
        output = served.output.read_text()

    assert page.status == 200
    assert "Strict-Transport-Security" not in page.headers
    assert "Strict-Transport-Security" not in spoofed.headers  # no proxy header is trusted
    assert css.status == 200
    assert "Static files up to date" in output


def _body(served: Served, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    connection.request("GET", path)
    body = connection.getresponse().read().decode()
    connection.close()
    return body


def test_health_answers_over_plain_http_and_each_request_logs_a_json_line_with_its_id(
    behind_proxy: Served,
) -> None:
    live = behind_proxy.get("/health/live")
    ready = behind_proxy.get("/health/ready", **{"X-Request-ID": "probe-7"})
    body = json.loads(_body(behind_proxy, "/health/ready"))

    assert live.status == 200
    assert ready.status == 200
    assert ready.headers["X-Request-ID"] == "probe-7"
    assert body["status"] == "ready"
    assert body["tasks"] == {"waiting": 0, "oldest_waiting_seconds": 0}
    lines = [
        json.loads(line)
        for line in behind_proxy.output.read_text().splitlines()
        if line.startswith("{")
    ]
    [probe] = [line for line in lines if line.get("request_id") == "probe-7"]
    assert (probe["logger"], probe["path"], probe["status"]) == (
        "linesheet.access",
        "/health/ready",
        200,
    )


def test_without_its_database_the_process_is_alive_but_not_ready(var: Path) -> None:
    for served in serve(var, DATABASE_URL="postgres://linesheet@127.0.0.1:1/linesheet"):
        live = served.get("/health/live")
        ready = served.get("/health/ready")
        body = json.loads(_body(served, "/health/ready"))

    assert live.status == 200
    assert ready.status == 503
    assert body["status"] == "not_ready"
    assert body["reasons"] == [{"code": "database_unreachable", "error": "OperationalError"}]
