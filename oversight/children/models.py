"""The child register: the children and families that practitioners bring to supervision.

Only what supervision needs is held here (issue 3 "a minimal child register"): the owning
agency's own case reference, initials or a display name, an optional date of birth, the legal
status over time and the agencies involved. The child's full file stays in the agency's own
case system (seed 001 standard 6: decisions are recorded there within two working days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from oversight.core.models import OutgoingEmail, OutgoingEmailState, TrackedModel
from oversight.people.models import Agency, DatedModel, Person


class LegalStatus(models.TextChoices):
    """Seed 004 Guiding Principle 1: the spectrum of support under the Children Act 1989."""

    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need (s17)"
    CHILD_PROTECTION = "child_protection", "Child protection (s47) / plan"
    LOOKED_AFTER = "looked_after", "Looked after"
    OTHER = "other", "Other"
    CLOSED = "closed", "Closed"


class Child(TrackedModel):
    """A child or family, as the owning agency knows them. Never shown above that agency
    except as counts (confidentiality: seed 003)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="children")
    case_reference = models.CharField(
        max_length=50, help_text="The reference in your agency's own case system."
    )
    display_name = models.CharField(
        max_length=100, help_text="Initials or a short name, e.g. 'Family T – child A'."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    legal_status = models.CharField(
        max_length=20,
        choices=LegalStatus.choices,
        default=LegalStatus.CHILD_IN_NEED,
        help_text="The current status; its history is in ChildStatus.",
    )
    legal_status_since = models.DateField(null=True, blank=True)
    allocated_practitioner = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_children",
    )
    agencies_involved = models.ManyToManyField(Agency, blank=True, related_name="+")
    nhs_number = models.CharField(
        "NHS number",
        max_length=10,
        blank=True,
        help_text=(
            "10 digits, if your agency holds it. Another agency finds the child by an exact "
            "match on it."
        ),
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "case_reference"], name="child_unique_case_reference"
            ),
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~models.Q(nhs_number=""),
                name="child_unique_nhs_number",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "legal_status"]),
            # A child's agency read from the index alone: a period's review meetings, drift
            # flags or discussions find their agency by a few thousand index steps, not by
            # hashing all 50,000 children of a large partnership (issue 17 item 3).
            models.Index(fields=["id", "agency"], name="child_agency_by_id"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.case_reference})"


class ChildStatus(DatedModel):
    """One period of a legal status; the current one has no end date."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="status_history")
    status = models.CharField(max_length=20, choices=LegalStatus.choices)

    class Meta:
        ordering = ["child", "-starts_on"]
        verbose_name_plural = "child statuses"
        indexes = [
            # The statuses that began in a period (case progression's status changes, seed
            # 004 "Assurance indicators" 4), without reading every child's history.
            models.Index(fields=["starts_on"], include=["child"], name="status_by_start"),
        ]

    def __str__(self) -> str:
        return f"{self.child}: {self.get_status_display()} from {self.starts_on}"


CADENCE_STATUSES = frozenset(
    {LegalStatus.CHILD_IN_NEED, LegalStatus.CHILD_PROTECTION, LegalStatus.LOOKED_AFTER}
)
"""Statuses under which a child must be discussed in supervision at least every ceiling
(seed 004 objective 4). A child on a protection plan or looked after is also a child in need
(Children Act 1989 s17), so all three count; early help, other and closed do not."""


class ChildAllocation(DatedModel):
    """Who the child was allocated to, over time; the current row has no end date."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="allocations")
    practitioner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="child_allocations"
    )
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["child", "-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.child} allocated to {self.practitioner} from {self.starts_on}"


class ReviewMeetingKind(models.TextChoices):
    """Seed 004 objective 4: discussed in supervision ideally before each review meeting."""

    CIN_REVIEW = "cin_review", "Child in need review"
    CORE_GROUP = "core_group", "Core group"
    INITIAL_CP_CONFERENCE = "initial_cp_conference", "Initial child protection conference"
    REVIEW_CP_CONFERENCE = "review_cp_conference", "Review child protection conference"
    LOOKED_AFTER_REVIEW = "looked_after_review", "Looked-after review"


class ReviewMeeting(TrackedModel):
    """A review meeting about the child. It is shared: every agency involved with the child
    sees it on the multi-agency summary, with the agencies expected to attend."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="review_meetings")
    kind = models.CharField(max_length=30, choices=ReviewMeetingKind.choices)
    meets_on = models.DateField()
    notes = models.CharField(max_length=300, blank=True)
    agencies_expected = models.ManyToManyField(Agency, blank=True, related_name="+")

    class Meta:
        ordering = ["child", "meets_on", "id"]
        indexes = [
            models.Index(fields=["child", "meets_on"]),
            # Each child's next and previous meeting in one index step (decision 0025).
            models.Index(
                fields=["child", "meets_on", "id"],
                include=["kind"],
                condition=models.Q(archived_at__isnull=True),
                name="meeting_live_by_child",
            ),
            # A period's meetings without reading every meeting ever held (the dashboards'
            # "discussed before the review meeting", issue 17 item 3).
            models.Index(
                fields=["meets_on"],
                include=["child"],
                condition=models.Q(archived_at__isnull=True),
                name="meeting_live_by_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child} on {self.meets_on:%d %b %Y}"


class MeetingTally(models.Model):
    """One agency's review meetings on one closed day, and how many of them the child was
    discussed before (seed 004 objective 4, ``cadence.review_prepared``), so that a past
    period's "% discussed before the review meeting" adds up a row per day instead of judging
    every meeting (issue 17 item 2; decision 0035). A day with no meeting has no row. Each
    agency's ``kept_through`` row names its last kept day; days after it are counted live.
    Kept by ``services.tallies``; the services that add or move a meeting or a discussion,
    or change the agency's review window, recount the days they touch."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False)
    on = models.DateField()
    meetings = models.PositiveIntegerField(default=0)
    prepared = models.PositiveIntegerField(default=0)
    kept_through = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "on"],
                condition=models.Q(kept_through=False),
                name="one_meeting_tally_per_agency_day",
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=models.Q(kept_through=True),
                name="one_meeting_tally_mark_per_agency",
            ),
            models.CheckConstraint(
                condition=models.Q(prepared__lte=models.F("meetings")),
                name="meeting_tally_prepared_within_meetings",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meetings} meetings for agency {self.agency_id} on {self.on:%d %b %Y}"


class DriftSettings(TrackedModel):
    """An agency's children-in-view settings: the drift rules and thresholds (issue 4 item 3:
    "rules and thresholds are agency settings"), the window before review meetings and the
    response time at each escalation level. An agency with no row uses the defaults."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="drift_settings")
    consecutive_enabled = models.BooleanField(
        "Amber or red at consecutive discussions", default=True
    )
    consecutive_count = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(2), MaxValueValidator(12)]
    )
    worsening_enabled = models.BooleanField("Worsening from green to red", default=True)
    overdue_enabled = models.BooleanField(
        "Not discussed as often as the child's status needs", default=True
    )
    repeated_enabled = models.BooleanField(
        "Long-running repeated concern that never reaches high risk", default=True
    )
    repeated_count = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(2), MaxValueValidator(24)]
    )
    repeated_months = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    # Seed 004 objective 4: a discussion in the window before a review prepares for it.
    pre_review_working_days = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text=(
            "The window before a review meeting, in working days: only a discussion held in "
            "it (or on the day) prepares for the meeting."
        ),
    )
    escalation_days_supervisor = models.PositiveSmallIntegerField(default=2)
    escalation_days_line_manager = models.PositiveSmallIntegerField(default=5)
    escalation_days_senior_manager = models.PositiveSmallIntegerField(default=10)
    escalation_days_partnership = models.PositiveSmallIntegerField(default=15)

    class Meta:
        verbose_name_plural = "drift settings"

    def __str__(self) -> str:
        return f"Drift settings for {self.agency_id}"

    def escalation_days(self, level: str) -> int:
        return int(getattr(self, f"escalation_days_{level}"))


class DriftRule(models.TextChoices):
    """Seed 004 objective 3 and Introduction: lack of evident change, caught early."""

    CONSECUTIVE = "consecutive", "Amber or red at consecutive discussions"
    WORSENING = "worsening", "Worsened from green to red"
    OVERDUE = "overdue", "Not discussed as often as the child's status needs"
    REPEATED = "repeated", "Long-running repeated concern"
    # Partnership level (issue 13 item 3): across every agency involved with the child.
    PARTNERSHIP_OVERDUE = (
        "partnership_overdue",
        "No involved agency discussed the child within three months",
    )
    PARTNERSHIP_REVIEW = (
        "partnership_review",
        "No involved agency discussed the child before the shared review meeting",
    )
    DIVERGENT = "divergent", "Agencies' ratings disagree"


PARTNERSHIP_RULES = frozenset(
    {DriftRule.PARTNERSHIP_OVERDUE, DriftRule.PARTNERSHIP_REVIEW, DriftRule.DIVERGENT}
)


class DriftFlag(TrackedModel):
    """A child flagged for drift. It names its rule and reason and stays open until someone
    acknowledges it with a decision."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="drift_flags")
    rule = models.CharField(max_length=20, choices=DriftRule.choices)
    reason = models.TextField()
    raised_on = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule"],
                condition=models.Q(acknowledged_at__isnull=True, archived_at__isnull=True),
                name="drift_flag_one_open_per_rule",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.child}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class EscalationLevel(models.TextChoices):
    """Seed 004 objective 7: escalation and resolution, level by level."""

    SUPERVISOR = "supervisor", "Supervisor"
    LINE_MANAGER = "line_manager", "Line manager"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    PARTNERSHIP = "partnership", "Partnership escalation and resolution"


ESCALATION_ORDER = [level.value for level in EscalationLevel]


class EscalationSubject(models.TextChoices):
    CHILD = "child", "A child's situation or plan"
    AGENCY_RESPONSE = "agency_response", "Another agency's response (professional disagreement)"


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Escalation(TrackedModel):
    """A concern escalated about a child or about another agency's response."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="escalations")
    subject = models.CharField(max_length=20, choices=EscalationSubject.choices)
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )
    about_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations_received",
    )
    raised_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="escalations")
    reason = models.TextField("What is the concern?")
    what_was_tried = models.TextField("What has been tried already?")
    level = models.CharField(max_length=20, choices=EscalationLevel.choices)
    status = models.CharField(
        max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    outcome = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"Escalation {self.pk} ({self.get_level_display()})"

    def is_overdue_on(self, day: dt.date) -> bool:
        """Open, and the response at its current level was due before ``day`` (seed 004:
        disagreement follows an escalation process with its own timescales). The due date is
        the open step's: lists annotate it as ``response_due_on``
        (``selectors.escalations_for``); otherwise the step is read."""
        if self.status != EscalationStatus.OPEN:
            return False
        if hasattr(self, "response_due_on"):
            due = self.response_due_on
        else:
            step = self.steps.filter(ended_on__isnull=True).order_by("-started_on", "-id").first()
            due = step.response_due_on if step else None
        return due is not None and day > due


class EscalationStep(TrackedModel):
    """One level of an escalation: when it reached the level, when a response is due, who
    acknowledged it and what they said."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="steps")
    level = models.CharField(max_length=20, choices=EscalationLevel.choices)
    started_on = models.DateField()
    response_due_on = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["escalation", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.escalation}: {self.get_level_display()} from {self.started_on}"

    def is_overdue_on(self, day: dt.date) -> bool:
        """The level is still open and its response was due before ``day``."""
        return self.ended_on is None and day > self.response_due_on


class UrgentRequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    RESPONDED = "responded", "Responded"


class UrgentDiscussionRequest(TrackedModel):
    """A practitioner asks for an urgent discussion when concerned about the response to risk
    (seed 004 "Drift and escalation"); the supervisor sees it at once."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="urgent_requests_made"
    )
    supervisor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="urgent_requests_received"
    )
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="urgent_requests"
    )
    concern = models.TextField("What are you concerned about?")
    requested_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=UrgentRequestStatus.choices, default=UrgentRequestStatus.WAITING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"Urgent discussion requested {self.requested_at:%d %b %Y %H:%M}"


class DisclosureCategory(models.TextChoices):
    """Seed 003: the only exceptions to the confidentiality of supervision."""

    RISK_OF_HARM = "risk_of_harm", "A child or family member is at significant risk of harm"
    UNSAFE_PRACTICE = "unsafe_practice", "Unsafe practice is placing people at risk"
    ILLEGAL_ACTIVITY = "illegal_activity", "Illegal activity"


@dataclass(frozen=True)
class LeadAlert:
    """Where the email alert to the safeguarding lead stands, as the supervisor who made the
    disclosure and the lead see it (issue 10 item 2: never "being sent" when it failed)."""

    state: str  # seen, sent, sending, retrying, failed or no_lead
    at: dt.datetime | None = None
    attempts: int = 0

    @property
    def failed(self) -> bool:
        return self.state == OutgoingEmailState.FAILED


class ConfidentialityDisclosure(TrackedModel):
    """A supervisor sharing something from confidential supervision with the agency
    safeguarding lead under one of seed 003's exceptions. The lead sees this record only,
    never the rest of the supervision record. The record it arose from, if any, is named by
    ``supervision.RecordDisclosure`` (children never points at supervision, decision 0001)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="disclosures")
    made_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosures_made")
    supervisee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="disclosures_about"
    )
    category = models.CharField(max_length=20, choices=DisclosureCategory.choices)
    reason = models.TextField("Why is this being disclosed?")
    what_is_needed = models.TextField("What does the safeguarding lead need to do?")
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures"
    )
    made_at = models.DateTimeField()
    lead_alerted_at = models.DateTimeField(null=True, blank=True)
    lead_seen_at = models.DateTimeField(null=True, blank=True)
    supervisee_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"Disclosure ({self.get_category_display()}) {self.made_at:%d %b %Y}"

    def lead_alert(self) -> LeadAlert:
        """Seen by the lead; else the state of the alert emails (core's outbox): any that
        failed, all sent, a try failed and another is due, or still on its way."""
        if self.lead_seen_at:
            return LeadAlert("seen", at=self.lead_seen_at)
        emails = list(OutgoingEmail.objects.about(self))
        if not emails:
            if self.lead_alerted_at:
                return LeadAlert("sent", at=self.lead_alerted_at)
            return LeadAlert("no_lead")
        failed = [e for e in emails if e.state == OutgoingEmailState.FAILED]
        if failed:
            return LeadAlert("failed", attempts=max(e.attempts for e in failed))
        if all(e.state == OutgoingEmailState.SENT for e in emails):
            return LeadAlert("sent", at=max(e.sent_at for e in emails if e.sent_at))
        retrying = [e for e in emails if e.state == OutgoingEmailState.QUEUED and e.attempts]
        if retrying:
            return LeadAlert(
                "retrying",
                at=min(e.next_attempt_at for e in retrying),
                attempts=max(e.attempts for e in retrying),
            )
        return LeadAlert("sending")


class ConcernStage(models.TextChoices):
    """Seed 001 "Quality Assurance": one-to-one first, then a three-way meeting."""

    ONE_TO_ONE = "one_to_one", "Stage 1: one-to-one with the supervisor"
    THREE_WAY = "three_way", "Stage 2: three-way meeting with supervisor and line managers"
    RESOLVED = "resolved", "Resolved"


class ConcernKind(models.TextChoices):
    FREQUENCY = "frequency", "Not at the required frequency"
    STANDARD = "standard", "Not at the required standard"
    BOTH = "both", "Neither the required frequency nor standard"


class QualityConcern(TrackedModel):
    """A supervisee's concern that supervision is not happening as often or as well as it
    should (seed 001 "Quality Assurance")."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="quality_concerns_raised"
    )
    supervisor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="quality_concerns_about"
    )
    kind = models.CharField(max_length=10, choices=ConcernKind.choices)
    description = models.TextField("What is the concern?")
    stage = models.CharField(
        max_length=12, choices=ConcernStage.choices, default=ConcernStage.ONE_TO_ONE
    )
    one_to_one_on = models.DateField(null=True, blank=True)
    one_to_one_outcome = models.TextField(blank=True)
    # Who wrote each outcome down and who closed the concern, so that the agency lead can
    # see who agreed what long after it was resolved (seed 001 "Quality Assurance").
    one_to_one_recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    three_way_on = models.DateField(null=True, blank=True)
    three_way_attendees = models.ManyToManyField(Person, blank=True, related_name="+")
    agreed_outcomes = models.TextField(blank=True)
    three_way_recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "stage"])]

    def __str__(self) -> str:
        return f"Supervision concern ({self.get_kind_display()})"

    @property
    def is_resolved(self) -> bool:
        return self.stage == ConcernStage.RESOLVED

    @property
    def stage_reached(self) -> str:
        """The stage in words, saying where a resolved concern was resolved."""
        if not self.is_resolved:
            return str(self.get_stage_display())
        if self.three_way_on is not None:
            return "Resolved at the three-way meeting"
        return "Resolved at the one-to-one"


class LawfulBasis(models.TextChoices):
    """Why the agency may share what it knows of the child with the other agencies involved.
    Working Together to Safeguard Children: information is shared to safeguard a child; the
    Children Act 1989 gives the duties under which it is shared."""

    SAFEGUARDING = (
        "safeguarding",
        "To safeguard and promote the child's welfare (Working Together to Safeguard Children)",
    )
    CHILD_PROTECTION = (
        "child_protection",
        "Child protection enquiries and plans (Children Act 1989, section 47)",
    )
    CHILD_IN_NEED = "child_in_need", "Services for a child in need (Children Act 1989, section 17)"
    CONSENT = "consent", "With the family's consent"


class AgencyInvolvement(DatedModel):
    """One agency's involvement with the child over time (issue 13 item 1): its own case
    reference, its allocated worker (the agency's named contact for the child), the dates and
    the lawful basis for sharing. The owning agency has one too (migration 0008 made it from
    the child's own fields). An involvement without a case reference of its own is a label
    the owning agency recorded ("other agencies involved", issue 4 item 1): it gives that
    agency no access until the agency adds its own involvement. The current labels are also
    kept in Child.agencies_involved for quick reading."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case_reference = models.CharField(
        max_length=50, blank=True, help_text="The reference in this agency's own case system."
    )
    allocated_worker = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_involvements",
    )
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices, blank=True)
    # Whether another agency holds the child on its register: the agency contributes rather
    # than holds (decision 0012). A child's holding agency never changes, so this is set
    # once, by the service that opens the involvement (the database's default is the
    # holder's own). It lets a lead's list of their agency's contributions read only those,
    # not the thousands of involvements their agency holds (issue 17 item 3, decision 0030);
    # ``manage.py verify_integrity`` checks it against the child.
    held_elsewhere = models.BooleanField(db_default=False, editable=False)

    class Meta:
        ordering = ["child", "-starts_on", "id"]
        indexes = [
            models.Index(
                fields=["agency"],
                condition=models.Q(held_elsewhere=True, archived_at__isnull=True)
                & ~models.Q(case_reference=""),
                name="involvement_held_elsewhere",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "agency"],
                condition=models.Q(ends_on__isnull=True, archived_at__isnull=True),
                name="involvement_one_open_per_agency",
            ),
            models.UniqueConstraint(
                fields=["agency", "case_reference"],
                condition=~models.Q(case_reference="")
                & models.Q(ends_on__isnull=True, archived_at__isnull=True),
                name="involvement_unique_case_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} involved with {self.child} from {self.starts_on}"

    @property
    def is_own(self) -> bool:
        """Added by the agency itself (it holds its own case reference), not a label."""
        return bool(self.case_reference)


class PlanContribution(TrackedModel):
    """One agency's contribution to the plan for the child and family (seed 004 Appendix III
    "plan for family and agency contribution to plan"; objective 6: every agency contributes
    to the plan). Written by that agency; every involved agency sees it on the child's
    multi-agency summary. It is the plan only: the discussion notes stay in each agency's
    supervision records (issue 13 item 4)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plan_contributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    contribution = models.TextField("What your agency contributes to the plan")

    class Meta:
        ordering = ["child", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "agency"],
                condition=models.Q(archived_at__isnull=True),
                name="plan_contribution_one_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}'s contribution to the plan for {self.child}"
