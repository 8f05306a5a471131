"""The in-process SMTP server's handler: it keeps what it receives for the test to read."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any


@dataclass
class SmtpInbox:
    """What the in-process SMTP server received.

    `refused_recipients` maps an address to the reply that refuses it at RCPT, e.g.
    "550 5.1.1 No such mailbox" (for good) or "450 4.2.0 Try later" (for now).
    """

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    refused_recipients: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refused_recipients:
            return self.refused_recipients[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def free_loopback_port() -> int:
    """Return a loopback port that nothing listens on (for a moment)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RefusingInbox(SmtpInbox):
    """An SMTP server that refuses every `refuse_every`-th message for now (451 after DATA),
    as a greylisting or overloaded server does; it keeps the Message-IDs it refused."""

    refuse_every: int = 5
    offered: int = 0
    refused: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.offered += 1
        if self.offered % self.refuse_every == 0:
            self.refused.append(str(message_from_bytes(envelope.original_content)["Message-ID"]))
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


@dataclass
class MailParts:
    """An email's text and HTML parts, and the images sent inside it by Content-ID."""

    text: str
    html: str
    images: dict[str, Message]  # Content-ID without the angle brackets -> the image part
    related_types: list[str]  # the content types inside multipart/related, in order


def mail_parts(message: Message) -> MailParts:
    """Read the parts of a received email: text/plain, text/html and any inline images."""
    text = html = ""
    images: dict[str, Message] = {}
    related_types: list[str] = []
    for part in message.walk():
        if part.get_content_type() == "multipart/related":
            related_types = [sub.get_content_type() for sub in part.get_payload()]
        elif part.get_content_type() == "text/plain" and not text:
            text = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
        elif part.get_content_maintype() == "image":
            images[str(part["Content-ID"]).strip("<>")] = part
    return MailParts(text=text, html=html, images=images, related_types=related_types)
