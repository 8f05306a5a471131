"""gunicorn's configuration for linesheet: `gunicorn -c python:linesheet.core.gunicorn_conf`."""

from __future__ import annotations

import os

from linesheet.core.serving import gunicorn_settings

globals().update(gunicorn_settings(os.environ, cpus=os.cpu_count() or 1))
