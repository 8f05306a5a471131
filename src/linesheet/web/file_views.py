"""The private files a signed link names (core.stored_files): images and logos."""

from __future__ import annotations

import time

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from linesheet.core.stored_files import stored_file_content_type, stored_file_link


@require_safe
def stored_file(request: HttpRequest, token: str) -> FileResponse:
    """Serve the file the token names while its signature is good and not expired; else 404.

    Cached by the browser that asked (private) until the link expires.
    """
    now = time.time()
    link = stored_file_link(token, now=now)
    if link is None:
        raise Http404
    try:
        file = default_storage.open(link.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(file, content_type=stored_file_content_type(link.name))
    response["Cache-Control"] = f"private, max-age={max(0, int(link.expires_at - now))}"
    response["Content-Disposition"] = "inline"
    return response
