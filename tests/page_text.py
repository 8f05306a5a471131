"""Read an HTML page back as the words a person sees, in document order."""

from __future__ import annotations

import html
import re
from typing import Any


def words_of(response: Any) -> str:
    """The page's text without its tags, entities decoded, whitespace collapsed."""
    assert response.status_code == 200, response.status_code
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", response.content.decode())).split())


def changes_panel(response: Any, *, until: str) -> str:
    """The words of the page's "What changed" panel, up to the heading `until` that follows."""
    text = words_of(response)
    assert "What changed" in text
    return text.split("What changed", 1)[1].split(until, 1)[0]
