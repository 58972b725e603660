"""Assurance records (issue 5): the supervision evaluation tool (seed 004 Appendix I), the
wellbeing pulse and workforce figures (seed 004 "Assurance indicators") and the record audit
(seed 004 objective 2, "Agency Quality Assurance").

Evaluation and pulse answers are anonymous: an answer row holds no respondent (and is saved
with no created_by and a day-rounded timestamp); a separate participation row says only that
a person answered in a round, to stop double answers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from oversight.core.models import TrackedModel
from oversight.people.models import Agency

# Seed 004 Appendix I, verbatim.
EVALUATION_STATEMENTS = (
    "I am happy about the length of supervision sessions.",
    "I am happy to speak to you about cases that concern me.",
    "I am happy with the level of discussion in the sessions.",
    "I understand the actions agreed.",
    "I feel that you help me formulate a plan to move forward",
    "I feel you believe me when I tell you I am concerned about a child or family",
    "I am given time to reflect",
    "I am given time to talk about issues concerning to me",
    "I feel you respect me",
    "I feel adequately equipped to deal with the cases I have",
)
STATEMENT_FIELDS = tuple(f"q{n}" for n in range(1, 11))


class Answer(models.TextChoices):
    """Asked in the seed's order, Yes / No / Maybe (seed 004 Appendix I)."""

    YES = "yes", "Yes"
    NO = "no", "No"
    MAYBE = "maybe", "Maybe"


# The order results are shown in, from most to least positive: every results table takes
# both its headings and its figures from this one tuple, so the two cannot fall out of step
# (issue 9 item 2: the figures once came in Yes / No / Maybe under Yes / Maybe / No).
RESULT_ORDER = (Answer.YES, Answer.MAYBE, Answer.NO)


class EvaluationSettings(TrackedModel):
    """How often an agency asks supervisees to evaluate their supervision (issue 5 item 4:
    an agency setting, default every six months)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="evaluation_settings"
    )
    interval_months = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="Months between evaluation rounds (default six).",
    )

    class Meta:
        verbose_name_plural = "evaluation settings"

    def __str__(self) -> str:
        return f"Evaluation every {self.interval_months} months, {self.agency}"


class EvaluationRound(TrackedModel):
    """One period in which an agency's supervisees are asked once per supervisor."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="evaluation_rounds")
    opens_on = models.DateField()
    closes_on = models.DateField()

    class Meta:
        ordering = ["agency", "-opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "opens_on"], name="evaluation_round_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency} evaluation {self.opens_on:%b %Y} to {self.closes_on:%b %Y}"

    def is_open_on(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class EvaluationResponse(TrackedModel):
    """One anonymous completed evaluation tool: about a supervisor, never naming who answered."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="responses")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    q1 = models.CharField(max_length=5, choices=Answer.choices)
    q2 = models.CharField(max_length=5, choices=Answer.choices)
    q3 = models.CharField(max_length=5, choices=Answer.choices)
    q4 = models.CharField(max_length=5, choices=Answer.choices)
    q5 = models.CharField(max_length=5, choices=Answer.choices)
    q6 = models.CharField(max_length=5, choices=Answer.choices)
    q7 = models.CharField(max_length=5, choices=Answer.choices)
    q8 = models.CharField(max_length=5, choices=Answer.choices)
    q9 = models.CharField(max_length=5, choices=Answer.choices)
    q10 = models.CharField(max_length=5, choices=Answer.choices)
    more_of = models.TextField("We need more of", blank=True)
    less_of = models.TextField("We need less of", blank=True)

    class Meta:
        indexes = [models.Index(fields=["round", "supervisor"])]

    def __str__(self) -> str:
        return f"Evaluation response in {self.round}"


class EvaluationParticipation(TrackedModel):
    """ "Responded in round X about supervisor Y": stops double answers, says nothing of what."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.PROTECT, related_name="participations"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent", "supervisor"], name="evaluation_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"Responded in {self.round}"


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class PulseRole(models.TextChoices):
    SUPERVISOR = "supervisor", "Supervisors"
    SUPERVISEE = "supervisee", "Supervisees"


class PulseResponse(TrackedModel):
    """One anonymous wellbeing pulse (seed 004 "Assurance indicators" 1 and 3): stress,
    resilience and ability to reflect, each 1 (low) to 5 (high), each optional."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    quarter_start = models.DateField()
    stress = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    resilience = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    reflection = models.PositiveSmallIntegerField(
        "Ability to reflect", null=True, blank=True, validators=SCALE
    )
    # Seed 004 "Assurance indicators" 1: resilience and stress of supervisors and supervisees,
    # shown apart (issue 15 item 16). Set from what the person does in the agency when they
    # answer, never asked; blank for answers given before it was kept.
    role = models.CharField(max_length=12, choices=PulseRole.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["agency", "quarter_start"])]

    def __str__(self) -> str:
        return f"Wellbeing pulse, {self.agency}, quarter from {self.quarter_start}"


class PulseParticipation(TrackedModel):
    """ "Answered the pulse this quarter": one answer per person per agency per quarter."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    quarter_start = models.DateField()
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "quarter_start", "respondent"], name="pulse_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"Answered the pulse for the quarter from {self.quarter_start}"


class WorkforceFigure(TrackedModel):
    """An agency's staff sickness and vacancy figures for a quarter, entered by its lead
    (seed 004 "Assurance indicators" 2)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="workforce_figures")
    quarter_start = models.DateField()
    funded_posts = models.PositiveIntegerField(help_text="Posts funded in the quarter.")
    vacant_posts = models.PositiveIntegerField(help_text="Posts vacant at the quarter's end.")
    sickness_days_lost = models.DecimalField(
        max_digits=8, decimal_places=1, help_text="Working days lost to sickness."
    )
    work_related_sickness_days_lost = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        default=0,
        help_text="Of those, days lost to work-related sickness (for example stress).",
    )

    class Meta:
        ordering = ["agency", "-quarter_start"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "quarter_start"], name="workforce_once")
        ]

    def __str__(self) -> str:
        return f"Workforce figures, {self.agency}, quarter from {self.quarter_start}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if (
            self.funded_posts is not None
            and self.vacant_posts is not None
            and self.vacant_posts > self.funded_posts
        ):
            errors["vacant_posts"] = "Vacant posts cannot be more than funded posts."
        if (
            self.sickness_days_lost is not None
            and self.work_related_sickness_days_lost is not None
            and self.work_related_sickness_days_lost > self.sickness_days_lost
        ):
            errors["work_related_sickness_days_lost"] = (
                "Work-related days cannot be more than all days lost to sickness."
            )
        if self.quarter_start and (
            self.quarter_start.day != 1 or self.quarter_start.month % 3 != 1
        ):
            errors["quarter_start"] = (
                "Choose the first day of a quarter (1 January, April, July or October)."
            )
        if errors:
            raise ValidationError(errors)


class AuditStatus(models.TextChoices):
    OPEN = "open", "In progress"
    COMPLETE = "complete", "Complete"


class RecordAudit(TrackedModel):
    """A record audit of one agency (seed 004 objective 2): a stratified sample of session
    records graded against the standards, with findings and actions for the agency.

    A multi-agency audit (issue 13 item 5) has no agency: it samples children known to two or
    more agencies and covers each agency's session and management oversight records for them,
    with a grade for each agency's part and for the multi-agency working."""

    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record_audits",
    )
    multi_agency = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_on = models.DateField()
    status = models.CharField(max_length=10, choices=AuditStatus.choices, default=AuditStatus.OPEN)
    findings = models.TextField(blank=True)
    actions_for_agency = models.TextField("Actions for the agency", blank=True)

    class Meta:
        ordering = ["-drawn_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(multi_agency=True, agency__isnull=True)
                | models.Q(multi_agency=False, agency__isnull=False),
                name="record_audit_one_agency_or_multi_agency",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Stratum(models.TextChoices):
    """Seed 004 objective 2: high, medium and escalating-risk cases."""

    HIGH = "high", "High risk"
    MEDIUM = "medium", "Medium risk"
    ESCALATING = "escalating", "Escalating risk"


class Grade(models.TextChoices):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


# The checklist, drawn from the standards (seed 001 standards and "Recording"; seed 004
# Appendix III; issue 5 item 6).
CHECKLIST = (
    ("child_focused", "Child-focused"),
    ("needs_risks_analysed", "Needs and risks analysed"),
    ("rag_given", "RAG rating given"),
    ("actions_owned_dated", "Actions with an owner and a date"),
    ("reflection_evidenced", "Reflection evidenced"),
    ("signed_in_time", "Signed in time"),
    ("decisions_on_file", "Decisions on the child's file"),
)


# A management oversight record is graded on the standards that apply to a decision about a
# child outside a session (seed 004 Definition and "The Supervision Process": a rationale,
# and the decision on the child's file).
OVERSIGHT_CHECKLIST = (
    ("child_focused", "Child-focused"),
    ("needs_risks_analysed", "Needs and risks analysed"),
    ("actions_owned_dated", "Actions with an owner and a date"),
    ("decisions_on_file", "Decisions on the child's file"),
)


def _grade_field(label: str) -> models.CharField:
    return models.CharField(label, max_length=10, choices=Grade.choices, blank=True)


class AuditedRecord(TrackedModel):
    """One sampled session record, or in a multi-agency audit a management oversight record,
    and its grades. Auditors see only sampled records."""

    audit = models.ForeignKey(RecordAudit, on_delete=models.PROTECT, related_name="items")
    record = models.ForeignKey(
        "supervision.SessionRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    oversight = models.ForeignKey(
        "supervision.ManagementOversight",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Multi-agency audits: the sampled child the record is about, and whose record it is.
    child = models.ForeignKey(
        "children.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stratum = models.CharField(max_length=12, choices=Stratum.choices)
    child_focused = _grade_field("Child-focused")
    needs_risks_analysed = _grade_field("Needs and risks analysed")
    rag_given = _grade_field("RAG rating given")
    actions_owned_dated = _grade_field("Actions with an owner and a date")
    reflection_evidenced = _grade_field("Reflection evidenced")
    signed_in_time = _grade_field("Signed in time")
    decisions_on_file = _grade_field("Decisions on the child's file")
    notes = models.TextField("Auditor's notes", blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "stratum", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "record"],
                condition=models.Q(child__isnull=True),
                name="audit_record_once",
            ),
            # A multi-agency audit may sample one session record for two children in it.
            models.UniqueConstraint(
                fields=["audit", "record", "child"],
                condition=models.Q(child__isnull=False),
                name="audit_record_once_per_child",
            ),
            models.UniqueConstraint(
                fields=["audit", "oversight"],
                condition=models.Q(oversight__isnull=False),
                name="audit_oversight_once",
            ),
            models.CheckConstraint(
                condition=models.Q(record__isnull=False, oversight__isnull=True)
                | models.Q(record__isnull=True, oversight__isnull=False),
                name="audited_record_is_a_record_or_an_oversight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stratum_display()} record in {self.audit}"

    @property
    def checklist(self) -> tuple[tuple[str, str], ...]:
        return OVERSIGHT_CHECKLIST if self.oversight_id is not None else CHECKLIST

    @property
    def grades(self) -> list[tuple[str, str, str]]:
        return [(name, label, getattr(self, name)) for name, label in self.checklist]

    @property
    def grade_displays(self) -> list[tuple[str, str]]:
        return [
            (label, Grade(value).label if value else "Not graded")
            for _, label, value in self.grades
        ]

    @property
    def is_graded(self) -> bool:
        return self.graded_at is not None


class AuditedChild(TrackedModel):
    """A child sampled by a multi-agency audit (issue 13 item 5; seed 004 objective 2), with
    the auditor's grade for each involved agency's part (``parts``) and for the multi-agency
    working around the child."""

    audit = models.ForeignKey(RecordAudit, on_delete=models.PROTECT, related_name="children")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(max_length=12, choices=Stratum.choices)
    multi_agency_working = _grade_field("Multi-agency working")
    notes = models.TextField("Findings on the multi-agency working", blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    # The child's sampled records, as selectors.audited_children sets them.
    items: list[AuditedRecord]

    class Meta:
        ordering = ["audit", "stratum", "id"]
        constraints = [models.UniqueConstraint(fields=["audit", "child"], name="audit_child_once")]

    def __str__(self) -> str:
        return f"{self.get_stratum_display()} child in {self.audit}"

    @property
    def is_graded(self) -> bool:
        return self.graded_at is not None


class AuditedAgencyPart(TrackedModel):
    """One involved agency's part in the work with a sampled child, as the auditor graded it."""

    audited_child = models.ForeignKey(AuditedChild, on_delete=models.PROTECT, related_name="parts")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    grade = _grade_field("Grade")
    notes = models.TextField("Findings on this agency's part", blank=True)

    class Meta:
        ordering = ["audited_child", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["audited_child", "agency"], name="audit_agency_part_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}'s part in {self.audited_child}"


# The counts a snapshot keeps: the fields of compliance.GroupCompliance.
SNAPSHOT_FIELDS = (
    "people",
    "within_interval",
    "overdue",
    "contract_in_place",
    "records_unsigned_overdue",
    "actions_overdue",
    "supervisors",
    "supervisors_trained",
    "supervisors_supervised",
)


class ComplianceSnapshot(models.Model):
    """An agency's staff supervision compliance on a day, as ``compliance_for`` judged it:
    every closed day (issue 17 item 2, figures that are never cold; first month ends only,
    issue 5 item 3), and today's row while the day runs (``final`` False), kept current by the
    services that change it. Derived figures, not a record anyone writes: the nightly job
    closes each day once (the back-fill keeps the history), and a closed day already shown
    changes only through the deliberate, audited recompute (issue 9 item 8), so a late
    record or an import never moves a figure the board has seen. ``breakdown`` holds the same
    counts by team and by staff group (``snapshots.figures_of``) for the agency dashboard.
    Counts only; never shown for fewer than five."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    people = models.PositiveIntegerField(default=0)
    within_interval = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    contract_in_place = models.PositiveIntegerField(default=0)
    records_unsigned_overdue = models.PositiveIntegerField(default=0)
    actions_overdue = models.PositiveIntegerField(default=0)
    supervisors = models.PositiveIntegerField(default=0)
    supervisors_trained = models.PositiveIntegerField(default=0)
    supervisors_supervised = models.PositiveIntegerField(default=0)
    breakdown = models.JSONField(default=dict, blank=True)
    final = models.BooleanField(default=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "on"], name="one_snapshot_per_agency_day")
        ]

    def __str__(self) -> str:
        return f"Compliance of agency {self.agency_id} on {self.on:%d %b %Y}"


class TrendPoint(models.Model):
    """One point of a headline question's 12-month trend read from the children's history
    (``selectors.children.MONTH_END_TRENDS``: children in need discussed, drift resolved,
    children known to several agencies), kept for a scope at a closed month end: ``agency``
    for an agency's dashboard, none for the partnership's, whose multi-agency line counts
    each child once (issue 17 item 2). Kept once, like a ComplianceSnapshot, so a past
    period's trend reads one query instead of a conditional count over every child. ``n`` is
    the group, ``w`` those it counts; only the share is ever shown."""

    agency = models.ForeignKey(Agency, null=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40)
    on = models.DateField()
    n = models.PositiveIntegerField(default=0)
    w = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "key", "on"],
                name="one_trend_point_per_scope_day",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} for agency {self.agency_id or 'all'} on {self.on:%d %b %Y}"
