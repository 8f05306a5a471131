"""The brand's message to the buyer that an order operation may send, checked before it runs."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from linesheet.core.errors import InvalidInput

MAX_MESSAGE_LENGTH = 2000


# Line breaks and tabs belong in a letter; other control characters (terminal escapes, bells,
# backspaces) only garble the email and the cart page, or hide what the text says.
ALLOWED_CONTROL_CHARACTERS = frozenset("\t\n\r")


def notification_details(*, notify: bool, message: str) -> dict[str, object]:
    """Return the event details that say whether and what to tell the buyer."""
    message = message.strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise InvalidInput.field(
            "message",
            "too_long",
            _("The message is %(length)s characters long; the limit is %(limit)s.")
            % {"length": len(message), "limit": MAX_MESSAGE_LENGTH},
        )
    control = sorted(
        {
            f"U+{ord(character):04X}"
            for character in message
            if unicodedata.category(character) == "Cc"
            and character not in ALLOWED_CONTROL_CHARACTERS
        }
    )
    if control:
        raise InvalidInput.field(
            "message",
            "control_characters",
            _("The message contains control characters (%(characters)s); send plain text.")
            % {"characters": ", ".join(control)},
        )
    return {"notify": bool(notify), "message": message if notify else ""}
