"""Notifications (issue 11 item 2): what someone needs to know or do, with a short reason and
a link, kept until they mark it done; how each person wants each kind delivered; and the
reminders already sent, which a database constraint holds to once per item, kind, person and
day (item 4: a restart or a rerun never sends one twice)."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    # Events (item 3)
    URGENT_REQUEST = "urgent_request", "Urgent discussion requested"
    URGENT_UNANSWERED = "urgent_unanswered", "Urgent discussion not answered in time"
    ESCALATION = "escalation", "Escalation addressed to you"
    DISCLOSURE = "disclosure", "Confidentiality disclosure"
    QUALITY_CONCERN = "quality_concern", "Concern about supervision"
    RECORD_TO_SIGN = "record_to_sign", "Record ready for you to sign"
    SESSION_CHANGED = "session_changed", "Session planned, moved or cancelled"
    # Issue 15 (seed 004 "Line management")
    DECISION_TO_AUTHORISE = "decision_to_authorise", "Decision waiting for your authorisation"
    DECISION_AUTHORISATION = "decision_authorisation", "Your decision authorised or returned"
    SHORTFALL_RAISED = "shortfall_raised", "Workload or resource shortfall reported"
    SHORTFALL_ANSWERED = "shortfall_answered", "Your shortfall report answered"
    SUPERVISION_CHANGE = "supervision_change", "Request to change supervision"
    RECORD_DRAFT = "record_draft", "Supervisee's draft record handed to you"
    # Reminders (item 4)
    SESSION_SOON = "session_soon", "Session in two days"
    RECORD_SIGN_BY = "record_sign_by", "Record to sign by tomorrow"
    RECORD_OVERDUE = "record_overdue", "Record not signed in time"
    ACTION_DUE = "action_due", "Action due in three days"
    ACTION_OVERDUE = "action_overdue", "Action overdue"
    CONTRACT_REVIEW = "contract_review", "Contract review due in 30 days"
    DECISION_DUE = "decision_due", "Decision due on the child’s file today"
    TRAINING_EXPIRING = "training_expiring", "Supervisor training expiring in 30 days"
    SAFEGUARDING_TRAINING_EXPIRING = (
        "safeguarding_training",
        "Safeguarding children training expiring in 30 days",
    )
    CHILD_DISCUSSION_DUE = "child_discussion_due", "Child due for discussion in 14 days"
    CHILD_BEFORE_REVIEW = "child_before_review", "Child to discuss before a review meeting"
    EVALUATION_OPEN = "evaluation_open", "Evaluation of your supervision open"
    # Digests (item 5)
    WEEKLY_DIGEST = "weekly_digest", "Weekly summary"


# Issue 11 item 2: the kinds that protect children cannot be turned off or held back.
PROTECTED_KINDS = frozenset(
    {Kind.URGENT_REQUEST, Kind.URGENT_UNANSWERED, Kind.ESCALATION, Kind.DISCLOSURE}
)


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "By email straight away"
    DAILY = "daily", "In a daily email"
    OFF = "off", "Only on the notifications page"


class NotificationQuerySet(models.QuerySet):
    def not_done(self) -> Self:
        return self.filter(done_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What is waiting, never what it says (item 7: no confidential content).
    reason = models.CharField(max_length=300)
    link = models.URLField(max_length=500)
    about_type = models.CharField(max_length=100, blank=True)
    about_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    # In a daily email not yet sent (the person chose "daily" for this kind).
    for_daily_email = models.BooleanField(default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "done_at", "-created_at"]),
            models.Index(fields=["for_daily_email", "recipient"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Preference(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(
                    delivery="off",
                    kind__in=[str(kind) for kind in sorted(PROTECTED_KINDS)],
                ),
                name="protected_kinds_never_off",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} {self.delivery}"


class SentReminder(models.Model):
    """A reminder or digest sent: at most one per person, kind, item and day (item 4)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    about_type = models.CharField(max_length=100, blank=True)
    about_id = models.CharField(max_length=64, blank=True)
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "about_type", "about_id", "day"],
                name="one_reminder_per_item_kind_person_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.person} on {self.day}"


class AgencyNotificationSettings(models.Model):
    """How long an urgent discussion request may wait before the agency lead is told
    (issue 11 item 3; default 4 working hours)."""

    agency = models.OneToOneField(
        "people.Agency", on_delete=models.CASCADE, related_name="notification_settings"
    )
    urgent_answer_working_hours = models.PositiveSmallIntegerField(default=4)

    def __str__(self) -> str:
        return f"Notification settings of {self.agency}"
