"""Sending the outbox (issue 10 item 2: alerts are never lost silently).

Each ``OutgoingEmail`` is sent by ``outgoing_email_send``. A try that fails (the mail server
refuses the connection, or says nothing for ``EMAIL_TIMEOUT`` seconds) puts the email back
with the next try after a backoff that doubles each time; after ``EMAIL_MAX_ATTEMPTS`` tries
it is marked failed, logged as an error and listed for the administrator. django-tasks has no
retry of its own, so the task queues its own next try (``run_after``). The sweep
(``outgoing_emails_recover``, at worker start, in the worker's heartbeat and daily) queues
again an email whose task is gone: a worker killed mid-send, a queue row lost."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .models import OutgoingEmail, OutgoingEmailState

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failed try: EMAIL_RETRY_SECONDS, doubling, at most an
    hour."""
    seconds = settings.EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 60 * 60))


def outgoing_email_enqueue(email_id: int, *, run_after: dt.datetime | None = None) -> Any:
    """Put the email's next try on the queue; remember which task holds it. A backend that
    cannot defer (the immediate one in tests) leaves a later try to the sweep."""
    send = outgoing_email_send
    if run_after is not None:
        if not send.get_backend().supports_defer:
            return None
        send = send.using(run_after=run_after)
    result = send.enqueue(email_id=email_id)
    if OutgoingEmail.objects.filter(pk=email_id, state=OutgoingEmailState.QUEUED).exists():
        OutgoingEmail.objects.filter(pk=email_id).update(task_id=str(result.id))
    return result


def email_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message for one outbox row: plain text, the HTML alternative and any files."""
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, to=[email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for item in email.attachments or []:
        message.attach(item["filename"], item["content"], item.get("mimetype") or None)
    return message


@task(takes_context=True)
def outgoing_email_send(context: TaskContext, email_id: int) -> str:
    """One try at sending one email. A recovered task (its worker died mid-send) takes back
    the email it held; the try that was cut off counts as a try."""
    task_id = str(context.task_result.id)
    now = timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "no such email"
        due = email.state == OutgoingEmailState.QUEUED and email.next_attempt_at <= now
        taken_back = email.state == OutgoingEmailState.SENDING and email.task_id == task_id
        if not (due or taken_back):
            return f"nothing to do: {email.state}"
        email.state = OutgoingEmailState.SENDING
        email.attempts += 1
        email.attempt_started_at = now
        email.task_id = task_id
        email.save(update_fields=["state", "attempts", "attempt_started_at", "task_id"])
    try:
        email_message(email).send()
    except Exception as error:  # any failure of the mail server is one failed try
        return _attempt_failed(email, error)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=OutgoingEmailState.SENT,
        sent_at=timezone.now(),
        last_error="",
        **({"body": "", "html_body": ""} if email.secret else {}),
    )
    return "sent"


def _attempt_failed(email: OutgoingEmail, error: Exception) -> str:
    reason = f"{type(error).__name__}: {error}"[:500]
    now = timezone.now()
    if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        OutgoingEmail.objects.filter(pk=email.pk).update(
            state=OutgoingEmailState.FAILED,
            failed_at=now,
            last_error=reason,
            **({"body": "", "html_body": ""} if email.secret else {}),
        )
        logger.error(
            "Email %s (%s) not sent after %s tries: %s",
            email.pk,
            email.purpose,
            email.attempts,
            reason,
        )
        return "failed"
    when = now + retry_delay(email.attempts)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=OutgoingEmailState.QUEUED, next_attempt_at=when, last_error=reason
    )
    logger.warning("Email %s not sent (try %s), trying again at %s", email.pk, email.attempts, when)
    outgoing_email_enqueue(email.pk, run_after=when)
    return f"try {email.attempts} failed"


JUST_QUEUED = dt.timedelta(minutes=1)


def outgoing_emails_recover(*, now: dt.datetime | None = None) -> list[Any]:
    """Queue again every email that is due and that no waiting or running task holds."""
    now = now or timezone.now()
    live = {
        str(pk)
        for pk in DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).values_list("id", flat=True)
    }
    queued = []
    stranded = (
        OutgoingEmail.objects.filter(
            state__in=[OutgoingEmailState.QUEUED, OutgoingEmailState.SENDING],
            next_attempt_at__lte=now,
        )
        .exclude(task_id__in=live)
        # An email committed a moment ago has no task id until its enqueue (on commit)
        # records it: left a minute, or a worker's heartbeat would queue it a second time.
        .exclude(task_id="", state=OutgoingEmailState.QUEUED, created_at__gt=now - JUST_QUEUED)
    )
    for email in stranded:
        if email.state == OutgoingEmailState.SENDING:
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                _attempt_failed(email, RuntimeError("the worker stopped while sending"))
                continue
            OutgoingEmail.objects.filter(pk=email.pk).update(state=OutgoingEmailState.QUEUED)
        queued.append(outgoing_email_enqueue(email.pk))
    return [result for result in queued if result is not None]


@task()
def outgoing_emails_sweep() -> int:
    """The daily run of the sweep, and of the recovery of tasks whose worker died."""
    from .worker import tasks_recover

    return tasks_recover() + len(outgoing_emails_recover())


def enqueue_daily() -> list[Any]:
    """core.jobs: core's share of the day's work (CoreConfig.daily_jobs)."""
    return [outgoing_emails_sweep.enqueue()]
