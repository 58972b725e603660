"""The outbox against real mail servers on this machine (issue 10 item 2): a server that
never answers holds a try only EMAIL_TIMEOUT seconds; a refused connection is tried again
after a backoff that doubles, and the email is sent once the server is back. Tasks run at
once here (the immediate backend); core/tests/test_worker.py runs the real worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from oversight.core.models import OutgoingEmail, OutgoingEmailState
from oversight.core.services import outgoing_email_queue
from oversight.core.tasks import outgoing_emails_recover

from .mailserver import free_port, silent_server, smtp_server, smtp_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue_one(django_capture_on_commit_callbacks: Any) -> Iterator[Any]:
    def queue() -> OutgoingEmail:
        with django_capture_on_commit_callbacks(execute=True):
            email = outgoing_email_queue(
                to="lead@example.org",
                subject="Oversight: a confidentiality disclosure needs your attention",
                body="Sign in to read it.",
                purpose="Disclosure alert to the agency safeguarding lead",
            )
        email.refresh_from_db()
        return email

    yield queue


def test_a_mail_server_that_never_answers_holds_a_try_only_until_the_email_timeout(
    queue_one: Any,
) -> None:
    assert settings.EMAIL_TIMEOUT == 10
    with silent_server() as port, smtp_settings(port, EMAIL_TIMEOUT=1):
        email = queue_one()
    assert email.state == OutgoingEmailState.QUEUED
    assert email.attempts == 1
    assert "timed out" in email.last_error
    assert email.next_attempt_at > timezone.now()


def test_a_refused_connection_is_tried_again_with_a_doubling_backoff_until_it_is_sent(
    queue_one: Any,
) -> None:
    port = free_port()
    with smtp_settings(port, EMAIL_RETRY_SECONDS=60):
        started = timezone.now()
        email = queue_one()
        assert email.state == OutgoingEmailState.QUEUED and email.attempts == 1
        assert "ConnectionRefusedError" in email.last_error
        first_wait = email.next_attempt_at - started
        assert dt.timedelta(seconds=59) < first_wait < dt.timedelta(seconds=70)
        assert outgoing_emails_recover() == []  # not due yet: nothing is tried

        with time_machine.travel(email.next_attempt_at + dt.timedelta(seconds=1), tick=True):
            second_try = timezone.now()
            outgoing_emails_recover()
            email.refresh_from_db()
        assert email.attempts == 2 and email.state == OutgoingEmailState.QUEUED
        second_wait = email.next_attempt_at - second_try
        assert dt.timedelta(seconds=119) < second_wait < dt.timedelta(seconds=130)

        with (
            smtp_server(port) as (_, received),
            time_machine.travel(email.next_attempt_at + dt.timedelta(seconds=1), tick=True),
        ):
            outgoing_emails_recover()
            email.refresh_from_db()
            assert received.count() == 1
    assert email.state == OutgoingEmailState.SENT and email.attempts == 3
    assert received.messages[0]["to"] == ["lead@example.org"]


def test_an_email_that_keeps_failing_is_marked_not_sent_after_the_last_try(
    queue_one: Any,
) -> None:
    with smtp_settings(free_port(), EMAIL_MAX_ATTEMPTS=2):
        email = queue_one()
        with time_machine.travel(email.next_attempt_at + dt.timedelta(seconds=1), tick=True):
            outgoing_emails_recover()
    email.refresh_from_db()
    assert email.state == OutgoingEmailState.FAILED
    assert email.attempts == 2 and email.failed_at is not None
    assert list(OutgoingEmail.objects.failed()) == [email]
