"""Agency supervision policy (issue 3 item 1) and supervision contracts (issue 3 item 2).

Where the seeds leave a value to agency policy the product makes it a setting with the
seeds' default (shared/domain.md, "Rules with numbers"): monthly sessions, never more than
three months apart (001 "Agreed frequency"; 004 "minimum quarterly"), more often for newly
qualified or new-to-post staff (001, 004), records signed within five working days, contracts
reviewed every twelve months (001 Practice guidance; 004 App. IV)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from oversight.core.models import TrackedModel
from oversight.people.models import (
    Agency,
    ContactLevel,
    Person,
    StaffGroup,
    SupervisionRelationship,
)

CEILING_DAYS_MAX = 92  # "never more than three months apart"


class SessionType(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "Planned 1:1"
    GROUP = "group", "Group supervision"
    REFLECTIVE_GROUP = "reflective_group", "Reflective practice group"
    PEER = "peer", "Peer supervision"
    THREE_WAY = "three_way", "Three-way meeting"
    URGENT = "urgent", "Urgent discussion"


def default_session_types() -> list[str]:
    return [choice.value for choice in SessionType]


# Group sessions: the facilitator leads and the people present are recorded as attendance.
GROUP_SESSION_TYPES = frozenset({SessionType.GROUP, SessionType.REFLECTIVE_GROUP})


def default_counted_session_types() -> list[str]:
    """Planned 1:1s count towards a person's supervision unless the agency decides that group
    supervision does too (seed 001 standard 3: "on a one-to-one or group basis", decided
    locally)."""
    return [SessionType.ONE_TO_ONE.value]


class SupervisionPolicy(TrackedModel):
    """One version of an agency's policy, for all staff (staff_group empty) or one staff
    group, in force from ``effective_from`` until the next version. Never edited in place:
    compliance on a date is judged by the version in force on that date."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="policies")
    staff_group = models.ForeignKey(
        StaffGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="policies"
    )
    effective_from = models.DateField()
    interval_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(CEILING_DAYS_MAX)],
        help_text="Expected time between sessions (default monthly).",
    )
    ceiling_days = models.PositiveSmallIntegerField(
        default=CEILING_DAYS_MAX,
        validators=[MinValueValidator(7), MaxValueValidator(CEILING_DAYS_MAX)],
        help_text="Never longer than this between sessions (at most three months).",
    )
    new_starter_interval_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(7), MaxValueValidator(CEILING_DAYS_MAX)],
        help_text="For newly-qualified and new-to-post staff (default fortnightly).",
    )
    session_types = models.JSONField(default=default_session_types)
    counted_session_types = models.JSONField(
        default=default_counted_session_types,
        help_text="Held sessions of these types count towards a person's supervision; a "
        "group counts only for those who attended.",
    )
    record_deadline_working_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Working days after a session to complete and sign its record.",
    )
    contract_review_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    child_discussion_ceiling_days = models.PositiveSmallIntegerField(
        default=CEILING_DAYS_MAX,
        validators=[MinValueValidator(7), MaxValueValidator(CEILING_DAYS_MAX)],
        # Seed 004 objective 4.
        help_text="Children in need are discussed at least this often, in days.",
    )
    # Seed 001 "Recording": "recording may be completed by the supervisor depending on the
    # agency" (issue 15 item 7). When on, the supervisee may draft the record and hand it to
    # the supervisor, who completes and signs it; by default the supervisor writes it.
    supervisee_may_draft_record = models.BooleanField(
        default=False,
        help_text="The supervisee may draft the record of a 1:1 for the supervisor to complete "
        "and sign.",
    )
    change_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["agency", "staff_group", "-effective_from"]
        verbose_name_plural = "supervision policies"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "staff_group", "effective_from"],
                name="policy_one_version_per_day",
            )
        ]

    def __str__(self) -> str:
        scope = self.staff_group.name if self.staff_group is not None else "all staff"
        return f"{self.agency} policy for {scope} from {self.effective_from:%d %b %Y}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.interval_days and self.ceiling_days and self.interval_days > self.ceiling_days:
            errors["interval_days"] = "The expected interval cannot be longer than the ceiling."
        if (
            self.new_starter_interval_days
            and self.ceiling_days
            and self.new_starter_interval_days > self.ceiling_days
        ):
            errors["new_starter_interval_days"] = "This cannot be longer than the ceiling."
        counted = set(self.counted_session_types or [])
        if not counted:
            errors["counted_session_types"] = (
                "Choose at least one type of session that counts towards supervision."
            )
        elif not counted <= set(self.session_types or []):
            errors["counted_session_types"] = (
                "Only session types the agency uses can count towards supervision."
            )
        group = self.staff_group
        if group is not None and self.agency_id and group.agency_id != self.agency_id:
            errors["staff_group"] = "Choose a staff group in this agency."
        if errors:
            raise ValidationError(errors)


class ContractStatus(models.TextChoices):
    """Draft: nobody has signed. Awaiting signatures: one party has. Active: both have, and it
    is locked (seed 001 Practice guidance: "discussed, agreed and signed off"). Superseded: a
    review replaced it with a newer revision. Ended: the supervision arrangement ended."""

    DRAFT = "draft", "Draft"
    AWAITING_SIGNATURES = "awaiting_signatures", "Awaiting signatures"
    ACTIVE = "active", "Active"
    SUPERSEDED = "superseded", "Superseded"
    ENDED = "ended", "Ended"


OPEN_STATUSES = (ContractStatus.DRAFT, ContractStatus.AWAITING_SIGNATURES)
SIGNED_STATUSES = (ContractStatus.ACTIVE, ContractStatus.SUPERSEDED, ContractStatus.ENDED)


class ContractEndReason(models.TextChoices):
    HANDOVER = "handover", "Handover to a new supervisor"
    LEFT_POST = "left_post", "Supervisee left the post"
    WITHDRAWN = "withdrawn", "Draft withdrawn"
    OTHER = "other", "Other"


class AddMonths(models.Func):
    """``date`` plus a number of months, for the contract's review constraint. PostgreSQL
    clamps to the month's last day as ``core`` ``add_months`` does; SQLite rolls over into the
    next month, which is later, so a date the service accepts is never refused."""

    arity = 2
    output_field = models.DateField()
    template = "(%(expressions)s))::date"
    arg_joiner = " + make_interval(months => "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' months')",
            arg_joiner=", '+' || ",
            **extra,
        )


REVIEW_OUTSIDE_PERIOD = (
    "The review date must be after the start date and within the review period of the "
    "agency's policy."
)


class SupervisionContract(TrackedModel):
    """The written agreement between a supervisor and supervisee (seed 004 Appendix IV,
    example 1 for direct contact and example 2 for indirect contact; seed 001 "Contract").

    Each revision is signed by both parties and then locked; a review makes the next revision
    (``previous`` points back) and the old one stays, superseded once the new one is signed.
    ``version`` is TrackedModel's optimistic-locking counter, ``revision`` the contract's."""

    supervisor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contracts_as_supervisor"
    )
    supervisee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contracts_as_supervisee"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contracts")
    relationship = models.ForeignKey(
        SupervisionRelationship,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    contact_level = models.CharField(
        max_length=10, choices=ContactLevel.choices, default=ContactLevel.DIRECT
    )
    revision = models.PositiveSmallIntegerField(default=1)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_revisions",
        help_text="The revision this one replaces after a review.",
    )
    status = models.CharField(
        max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    frequency_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(7), MaxValueValidator(CEILING_DAYS_MAX)],
        help_text="Days between sessions (never more than three months).",
    )
    session_duration_minutes = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    starts_on = models.DateField()
    review_due_on = models.DateField()
    review_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        editable=False,
        # Seed 001: reviewed annually unless the agency's policy says otherwise.
        help_text="The policy's review period when the contract was drafted: once a year "
        "unless the agency's policy says otherwise.",
    )
    signed_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The day the second party signed."
    )
    ended_on = models.DateField(null=True, blank=True, editable=False)
    end_reason = models.CharField(
        max_length=20, choices=ContractEndReason.choices, blank=True, editable=False
    )
    end_notes = models.TextField(blank=True, editable=False)

    # Seed 004 Appendix IV example 1 and seed 001 "Contract".
    supervisor_responsibilities = models.TextField(blank=True)
    supervisee_responsibilities = models.TextField(blank=True)
    notice_of_changes = models.TextField(
        blank=True,
        help_text="Notice period for changes of time, date or venue; cancellation notice.",
    )
    recording_arrangements = models.TextField(blank=True)
    agenda_setting = models.TextField(blank=True)
    workload_performance_escalation = models.TextField(blank=True)
    difference_of_opinion_escalation = models.TextField(blank=True)
    # Seed 004 Appendix IV example 2 (indirect contact).
    agenda_items_future = models.TextField(blank=True)
    learning_development = models.TextField(blank=True)
    role_opportunities_concerns = models.TextField(blank=True)

    supervisor_signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    supervisor_signed_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    supervisee_signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    supervisee_signed_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-starts_on", "-revision"]
        indexes = [
            models.Index(fields=["supervisee", "status", "starts_on"]),
            models.Index(fields=["supervisor", "status"]),
            models.Index(fields=["agency", "status", "review_due_on"]),
            # What a contract's standing on a day is judged from
            # (assurance.compliance.contract_standing_on), beside the key: a partnership's
            # standings read this small index alone, not the contracts' text (issue 17
            # item 3: the full recompute read all 88 MB of the large demo's contracts).
            models.Index(
                fields=["supervisee", "starts_on"],
                include=["status", "signed_on", "ended_on", "review_due_on"],
                condition=models.Q(archived_at__isnull=True),
                name="contract_standing",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["previous"],
                condition=models.Q(archived_at__isnull=True),
                name="contract_one_live_successor",
            ),
            # Issue 10 item 10: the review falls after the start and within the policy's
            # review period of it (seed 001 Practice guidance; 004 App. IV).
            models.CheckConstraint(
                condition=models.Q(review_due_on__gt=models.F("starts_on"))
                & models.Q(
                    review_due_on__lte=AddMonths(models.F("starts_on"), models.F("review_months"))
                ),
                name="contract_review_within_policy_period",
                violation_error_message=REVIEW_OUTSIDE_PERIOD,
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Supervision contract: {self.supervisor} and {self.supervisee} "
            f"(revision {self.revision})"
        )

    @property
    def is_locked(self) -> bool:
        return self.status in SIGNED_STATUSES

    @property
    def is_indirect(self) -> bool:
        return self.contact_level == ContactLevel.INDIRECT

    def is_review_due_on(self, day: dt.date) -> bool:
        return self.status == ContractStatus.ACTIVE and self.review_due_on <= day

    def is_overdue_on(self, day: dt.date) -> bool:
        """The review is overdue: in force and its review date has passed (seed 001: the
        contract is reviewed annually)."""
        return self.status == ContractStatus.ACTIVE and self.review_due_on < day

    def is_in_force_on(self, day: dt.date) -> bool:
        return (
            self.status in SIGNED_STATUSES
            and self.signed_on is not None
            and self.signed_on <= day
            and (self.ended_on is None or self.ended_on >= day)
        )

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.supervisor_id and self.supervisor_id == self.supervisee_id:
            errors["supervisee"] = "A person cannot be their own supervisor."
        if self.starts_on and self.review_due_on and self.review_due_on <= self.starts_on:
            errors["review_due_on"] = "The review date must be after the start date."
        if errors:
            raise ValidationError(errors)
