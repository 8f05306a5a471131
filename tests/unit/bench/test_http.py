"""The HTTP section's load generator and verdict: each order once, refusals counted."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import http
from bench.measure import Row

BRAND = "a-brand"


class Recorder(BaseHTTPRequestHandler):
    """Answers like the app, closing each connection as gunicorn's sync workers do."""

    seen: list[str]

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.answer()

    def answer(self) -> None:
        self.seen.append(self.path)
        body = json.dumps({"path": self.path}).encode()
        self.send_response(409 if "refused" in self.path else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[int, list[str]]]:
    seen: list[str] = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (Recorder,), {"seen": seen}))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], seen
    httpd.shutdown()
    httpd.server_close()


def window(rps: float, *, failures: int = 0) -> http.Window:
    return http.Window(seconds=1.0, latencies=[0.01] * int(rps), failures=["409"] * failures)


def test_each_order_is_returned_once_and_the_window_stops_when_they_run_out(
    server: tuple[int, list[str]],
) -> None:
    port, seen = server
    codes = [f"F{n:09d}" for n in range(50)]

    measured = http.load(port=port, token="t", next_request=http.returns(BRAND, codes), seconds=60)

    assert sorted(seen) == sorted(http.return_path(BRAND, code) for code in codes)
    assert len(measured.latencies) == len(codes)
    assert not measured.failures
    assert measured.seconds < 60


def test_a_refused_request_is_counted_and_not_sent_again(server: tuple[int, list[str]]) -> None:
    port, seen = server

    measured = http.load(
        port=port, token="t", next_request=http.returns(BRAND, ["F1", "refused", "F2"]), seconds=60
    )

    assert len(seen) == 3
    assert len(measured.latencies) == 2
    (failure,) = measured.failures
    assert failure.startswith(f"{http.return_path(BRAND, 'refused')}: 409 ")


def test_the_return_rate_meets_the_target_at_thirty_percent_of_the_trivial_rate() -> None:
    trivial = [window(90), window(100), window(130)]

    def measured(*returns: float) -> list[Row]:
        return http.rows(
            trivial_windows=trivial,
            return_windows=[window(rps) for rps in returns],
            return_warmups=[],
            details={},
        )

    # Each side counts its median window (of two, their mean): one odd trivial window alone
    # does not move the baseline.
    met, missed = measured(20, 40), measured(20, 38)
    assert met[1].baseline == 100
    assert met[1].value == 30
    assert met[1].ratio == pytest.approx(0.30)
    assert met[1].met is True
    assert missed[1].met is False


def test_any_refused_return_misses_the_target_even_in_the_warmup() -> None:
    rows = http.rows(
        trivial_windows=[window(100), window(100)],
        return_windows=[window(90), window(90)],
        return_warmups=[window(90, failures=1)],
        details={},
    )

    assert rows[0].met is True
    assert rows[1].met is False
    assert rows[1].details["failures"] == 1


def test_the_cpu_each_request_costs_gives_the_ratio_load_elsewhere_does_not_move() -> None:
    def costing(rps: int, cpu_seconds: float) -> http.Window:
        measured = window(rps)
        measured.cpu_seconds = cpu_seconds
        return measured

    rows = http.rows(
        # 2 ms and 2.5 ms of CPU a trivial request (median 2); 8 ms a return.
        trivial_windows=[costing(100, 0.2), costing(100, 0.25), costing(100, 0.2)],
        return_windows=[costing(20, 0.16), costing(25, 0.2)],
        return_warmups=[],
        details={},
    )

    assert rows[1].details["cpu_ms_per_request"] == 8.0
    assert rows[1].details["trivial_cpu_ms_per_request"] == 2.0
    assert rows[1].details["cpu_ratio"] == 0.25
