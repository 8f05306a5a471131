"""How `linesheet serve` runs the web processes: gunicorn's settings, read from the environment.

gunicorn loads them as its configuration module (`gunicorn -c python:linesheet.core.gunicorn_conf`),
so `linesheet serve` and a gunicorn started by hand with that module behave the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# More sync workers than this per machine would mostly wait on PostgreSQL and hold connections.
MAX_DEFAULT_WORKERS = 16


def default_workers(cpus: int) -> int:
    """Return the workers for a machine of `cpus` CPUs: 2 per CPU and one more, at most 16."""
    return min(2 * max(cpus, 1) + 1, MAX_DEFAULT_WORKERS)


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} cannot be negative, got {raw!r}")
    return value


def gunicorn_settings(environ: Mapping[str, str], *, cpus: int) -> dict[str, Any]:
    """Return gunicorn's settings from the WEB_* variables (README, "Serving")."""
    threads = _positive_int(environ, "WEB_THREADS", 1) or 1
    return {
        "wsgi_app": "linesheet.wsgi:application",
        "bind": [
            address.strip()
            for address in environ.get("WEB_BIND", "127.0.0.1:8000").split(",")
            if address.strip()
        ],
        "workers": _positive_int(environ, "WEB_WORKERS", default_workers(cpus)) or 1,
        # One thread: gunicorn's sync worker; more: its threaded worker, a connection per thread.
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": _positive_int(environ, "WEB_TIMEOUT", 60),
        "graceful_timeout": _positive_int(environ, "WEB_GRACEFUL_TIMEOUT", 30),
        "keepalive": _positive_int(environ, "WEB_KEEPALIVE", 5),
        # A worker is replaced after this many requests (0: never), so a slow leak stays small.
        "max_requests": _positive_int(environ, "WEB_MAX_REQUESTS", 1000),
        "max_requests_jitter": _positive_int(environ, "WEB_MAX_REQUESTS_JITTER", 100),
        # Which requests came over HTTPS is Django's to judge, from SECURE_PROXY_SSL_HEADER only:
        # gunicorn would otherwise believe X-Forwarded-Proto from any client on loopback.
        "secure_scheme_headers": {},
        "forwarded_allow_ips": "",
        # Requests are logged by the app (one JSON line each, with the request id); gunicorn
        # logs its own start, stop and worker events to stderr.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": environ.get("WEB_LOG_LEVEL", "info"),
        "proc_name": "linesheet",
        # The control socket's default path is one per user: two servers would share it.
        "control_socket_disable": True,
    }
