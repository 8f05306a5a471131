from __future__ import annotations

import smtplib
import socket

import pytest

from linesheet.notifications.tasks import delivery_failure_is_transient, smtp_refusal_is_permanent


def refused(*codes: int) -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused(
        {f"r{n}@example.test": (code, b"reply") for n, code in enumerate(codes)}
    )


def test_a_recipient_refused_with_a_5xx_reply_is_refused_for_good() -> None:
    assert smtp_refusal_is_permanent(refused(550))
    assert not delivery_failure_is_transient(refused(550))


def test_a_recipient_refused_with_a_4xx_reply_may_pass_later() -> None:
    assert not smtp_refusal_is_permanent(refused(450))
    assert delivery_failure_is_transient(refused(450))


def test_recipients_refused_partly_for_now_are_worth_another_attempt() -> None:
    assert not smtp_refusal_is_permanent(refused(550, 451))


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPSenderRefused(553, b"sender rejected", "no-reply@linesheet.test"), True),
        (smtplib.SMTPSenderRefused(451, b"try later", "no-reply@linesheet.test"), False),
        (smtplib.SMTPDataError(554, b"message rejected as spam"), True),
        (smtplib.SMTPDataError(452, b"insufficient storage"), False),
        (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), True),
    ],
)
def test_sender_and_message_refusals_follow_the_reply_class(
    error: smtplib.SMTPException, permanent: bool
) -> None:
    assert smtp_refusal_is_permanent(error) is permanent
    assert delivery_failure_is_transient(error) is not permanent


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
        socket.gaierror(-2, "Name or service not known"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPAuthenticationError(535, b"bad credentials"),
        smtplib.SMTPConnectError(421, b"too busy"),
    ],
)
def test_network_and_server_trouble_is_worth_another_attempt(error: Exception) -> None:
    assert delivery_failure_is_transient(error)


def test_a_worker_stopped_mid_send_counts_as_transient() -> None:
    assert delivery_failure_is_transient(SystemExit(1))
    assert delivery_failure_is_transient(KeyboardInterrupt())


@pytest.mark.parametrize(
    "error", [ValueError("bad header"), UnicodeEncodeError("ascii", "é", 0, 1, "")]
)
def test_a_bug_or_bad_data_is_not_retried(error: Exception) -> None:
    assert not delivery_failure_is_transient(error)
