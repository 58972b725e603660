"""Supervision sessions and their records (issue 3 items 3–9).

A session is planned, then held, cancelled, missed or rescheduled. A held session has one
record on seed 004's Appendix III template, with a case discussion per child brought (each
worked through the 4x4x4 cycle, seed 001 / 004 Appendix II), agreed actions followed up at
the next session, and decisions that must reach the child's file within two working days
(seed 001 standard 6). Management oversight is a separate record type (seed 004 Definition).
Once both parties have signed (seed 001 "Recording") a record is locked; corrections are
addenda."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from oversight.children.models import Child, ConfidentialityDisclosure
from oversight.contracts.models import GROUP_SESSION_TYPES, SessionType
from oversight.core.models import TrackedModel
from oversight.people.models import Agency, SupervisionRelationship

from .prompts import TOOL_CHOICES, ReflectiveTool, Tool, tool_for

GROUP_TYPES = GROUP_SESSION_TYPES
# Session types with several people present besides the supervisor (attendance is recorded).
ATTENDED_TYPES = GROUP_TYPES | {SessionType.THREE_WAY}


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    RESCHEDULED = "rescheduled", "Rescheduled"


class Session(TrackedModel):
    """One supervision session (issue 3 item 3). For groups ``supervisor`` is the facilitator
    and ``supervisee`` is empty; the people present are ``attendees``."""

    session_type = models.CharField(
        max_length=20, choices=SessionType.choices, default=SessionType.ONE_TO_ONE
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_led"
    )
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions_received",
    )
    attendees: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="SessionAttendance",
        related_name="sessions_attended",
        blank=True,
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(
        max_length=200, blank=True, help_text="For group sessions, e.g. the review discussed."
    )
    planned_start = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    learning_review = models.CharField(
        "Review or child safeguarding practice review the group learns from",
        max_length=200,
        blank=True,
        # Seed 004 Introduction: learning from serious case reviews (issue 15 item 15).
        help_text="Name the review so its learning can be traced.",
    )
    location = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    held_on = models.DateField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    notice_given = models.BooleanField(
        default=False, help_text="Notice given as the supervision contract agrees."
    )
    rescheduled_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rescheduled_to",
    )

    class Meta:
        ordering = ["-planned_start"]
        indexes = [
            models.Index(fields=["supervisor", "planned_start"]),
            models.Index(fields=["supervisee", "planned_start"]),
            models.Index(fields=["agency", "status", "planned_start"]),
            # Each person's last session held of a type, one index step per person and type
            # (assurance.compliance "last session held"; issue 17 item 3, decision 0025).
            models.Index(
                fields=["supervisee", "session_type", "-held_on"],
                condition=models.Q(status="held", archived_at__isnull=True),
                name="session_held_by_supervisee",
            ),
            # The sessions held in a dashboard's period (key elements; issue 17 item 3).
            models.Index(fields=["held_on"], name="session_held_in_period"),
        ]

    def __str__(self) -> str:
        who = self.supervisee.display_name if self.supervisee is not None else self.title
        return f"{self.get_session_type_display()}: {who}, {self.planned_start:%d %b %Y}"

    @property
    def is_group(self) -> bool:
        return self.session_type in GROUP_TYPES

    @property
    def takes_attendance(self) -> bool:
        return self.session_type in ATTENDED_TYPES

    @property
    def planned_end(self) -> dt.datetime:
        return self.planned_start + dt.timedelta(minutes=self.duration_minutes)

    @property
    def day(self) -> dt.date:
        """The day the session was held, or else the day it is planned for."""
        return self.held_on or timezone.localdate(self.planned_start)

    def supervision_ended_before(self, day: dt.date | None = None) -> dt.date | None:
        """The last day of this supervisor's supervision of the supervisee in the session's
        agency when it ended before ``day`` (the session's day) and nothing of theirs covers
        that day: a former supervisor (issue 9 item 6). None for groups, for a current
        supervisor, and for a pair that never had a relationship. Answered from what
        ``selectors.session_detail`` read with the session for that day, when it did."""
        if self.supervisee_id is None or self.is_group:
            return None
        day = day or self.day
        if getattr(self, "pair_day", None) == day:
            return None if self.pair_current else self.pair_ended_on  # type: ignore[attr-defined]
        pair = list(
            SupervisionRelationship.objects.live().filter(
                supervisor_id=self.supervisor_id,
                supervisee_id=self.supervisee_id,
                agency_id=self.agency_id,
            )
        )
        if any(r.is_current_on(day) for r in pair):
            return None
        ended = [r.ends_on for r in pair if r.ends_on is not None and r.ends_on < day]
        return max(ended, default=None)


class SessionAttendance(models.Model):
    """Who was invited to a group, reflective practice group or three-way meeting, and whether
    they came (seed 001 "Types of supervision"; issue 3 item 7)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances"
    )
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.session}"


class AgendaItem(TrackedModel):
    """Something the supervisee (or supervisor) wants to discuss (seed 004 "preparing for the
    Supervision session"; Appendix III "Agenda / Issues for Discussion")."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="agenda_items")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class SessionChild(TrackedModel):
    """A child or family the supervisee chose to bring to the session."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="chosen_children")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["child__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "child"], name="session_child_once")
        ]

    def __str__(self) -> str:
        return f"{self.child} at {self.session}"


class Function(models.TextChoices):
    """The four functions of supervision (4x4x4, seed 001 / 000)."""

    MANAGEMENT = "management", "Management"
    SUPPORT = "support", "Support"
    DEVELOPMENT = "development", "Development"
    MEDIATION = "mediation", "Mediation"


class Stakeholder(models.TextChoices):
    """The four stakeholders in supervision (4x4x4, seed 001 "The 4x4x4 model"): whose
    perspective a case discussion considered (issue 15 item 12)."""

    PEOPLE_WHO_USE_SERVICES = "people_who_use_services", "Children and families who use services"
    STAFF = "staff", "Staff"
    ORGANISATION = "organisation", "The organisation"
    PARTNER_ORGANISATIONS = "partner_organisations", "Partner organisations"


class KeyElement(models.TextChoices):
    """Seed 001 "Key elements": balanced over time, not always within one session."""

    SUPPORT_REFLECTION = "support_reflection", "Personal support and reflection"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
    PROFESSIONAL_DEVELOPMENT = "professional_development", "Professional development"


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_SUPERVISEE = "awaiting_supervisee", "Awaiting supervisee's signature"
    SIGNED = "signed", "Signed"


# Listed rather than "not signed", so that queries can use the (status, sign_by) index.
UNSIGNED_STATUSES = (RecordStatus.DRAFT, RecordStatus.AWAITING_SUPERVISEE)


WELLBEING_FIELDS = ("emotional_impact", "vicarious_trauma", "support_offered")


class ReviewAnswer(models.TextChoices):
    """An answer to a question reviewing supervision itself at sign-off (issue 15 item 10)."""

    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


# Seed 004 "The Supervision Process": "an opportunity to review the process of supervision in
# itself" at each session. Named and kept with the record, unlike the anonymous Appendix I
# round (assurance); the supervisee answers, optionally, when signing.
PROCESS_REVIEW_FIELDS = ("review_protected_time", "review_helpful", "review_improve")


class SessionRecord(TrackedModel):
    """The record of a held session on seed 004 Appendix III. The wellbeing section is for the
    supervisor and supervisee only (restorative supervision, seed 000; confidentiality, 003):
    selectors defer it and rules.py decides who sees it."""

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="record")
    last_session_on = models.DateField(null=True, blank=True)
    agenda_notes = models.TextField(blank=True)
    learning_development = models.TextField(blank=True)
    next_session_on = models.DateField(null=True, blank=True)
    functions_served = models.JSONField(default=list, blank=True)
    key_elements = models.JSONField(default=list, blank=True)
    emotional_impact = models.TextField(blank=True)
    vicarious_trauma = models.TextField(blank=True)
    support_offered = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    supervisor_signed_at = models.DateTimeField(null=True, blank=True)
    supervisor_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisee_signed_at = models.DateTimeField(null=True, blank=True)
    supervisee_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisee_comment = models.TextField(blank=True)
    sign_by = models.DateField(null=True, blank=True)
    # Seed 001 "Attending regularly and on time" and protected, uninterrupted time (issue 15
    # item 8): when the session actually started and ended, if the supervisor records it.
    started_at = models.TimeField("Time the session started", null=True, blank=True)
    ended_at = models.TimeField("Time the session ended", null=True, blank=True)
    review_protected_time = models.CharField(
        "Was the time protected and free from interruptions?",
        max_length=10,
        choices=ReviewAnswer.choices,
        blank=True,
    )
    review_helpful = models.CharField(
        "Did this session help your work with children and families?",
        max_length=10,
        choices=ReviewAnswer.choices,
        blank=True,
    )
    review_improve = models.TextField(
        "What would make supervision work better for you?", blank=True
    )

    class Meta:
        indexes = [
            models.Index(fields=["status", "sign_by"]),
            # Compliance on any date asks "unsigned then": not yet signed, or signed later.
            models.Index(fields=["supervisee_signed_at"]),
            # The few thousand records no supervisee has signed yet, read from the index
            # alone: a supervisor's or line manager's people find theirs without reading every
            # unsigned record's row (assurance.compliance, issue 17 item 3).
            models.Index(
                fields=["session"],
                include=["sign_by"],
                condition=models.Q(archived_at__isnull=True, supervisee_signed_at__isnull=True),
                name="record_unsigned_by_session",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(started_at__isnull=True)
                | models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gt=models.F("started_at")),
                name="record_ends_after_it_starts",
                violation_error_message="The session must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"Record of {self.session}"

    @property
    def is_locked(self) -> bool:
        return self.status == RecordStatus.SIGNED

    def is_overdue_on(self, day: dt.date) -> bool:
        return (
            self.status != RecordStatus.SIGNED and self.sign_by is not None and day > self.sign_by
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def started_on_time(self) -> bool | None:
        """Whether the session started by its planned time, on the day it was held (seed 001
        "Attending regularly and on time"); None when the start was not recorded."""
        if self.started_at is None:
            return None
        session = self.session
        planned = timezone.localtime(session.planned_start)
        day = session.held_on or planned.date()
        if day != planned.date():
            return False
        return self.started_at <= planned.time().replace(second=59, microsecond=999999)

    @property
    def minutes_held(self) -> int | None:
        """How long the session actually lasted, when both times were recorded."""
        if self.started_at is None or self.ended_at is None:
            return None
        start = dt.datetime.combine(dt.date.min, self.started_at)
        end = dt.datetime.combine(dt.date.min, self.ended_at)
        return int((end - start).total_seconds() // 60)

    def get_functions_served_display(self) -> list[str]:
        return [Function(v).label for v in self.functions_served if v in Function.values]

    def get_key_elements_display(self) -> list[str]:
        return [KeyElement(v).label for v in self.key_elements if v in KeyElement.values]


class SuperviseeDraft(TrackedModel):
    """The supervisee's draft of a 1:1's record, where the agency's policy lets the supervisee
    write it for the supervisor to complete (seed 001 "Recording": "recording may be
    completed by the supervisor depending on the agency"; issue 15 item 7). The supervisee
    edits it until they hand it over; the supervisor then copies it into the record, adds the
    case discussions and actions, and signs. Kept apart from the record, which only the
    supervisor writes."""

    session = models.OneToOneField(
        Session, on_delete=models.PROTECT, related_name="supervisee_draft"
    )
    agenda_notes = models.TextField("What we discussed", blank=True)
    cases_notes = models.TextField("Children and families we discussed", blank=True)
    actions_notes = models.TextField("Actions we agreed", blank=True)
    learning_development = models.TextField("Learning and development", blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    taken_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(taken_in_at__isnull=True)
                | models.Q(handed_over_at__isnull=False),
                name="supervisee_draft_taken_in_after_handover",
            )
        ]

    def __str__(self) -> str:
        return f"Supervisee's draft of the record of {self.session}"

    @property
    def is_handed_over(self) -> bool:
        return self.handed_over_at is not None

    @property
    def is_taken_in(self) -> bool:
        return self.taken_in_at is not None


class RagRating(models.TextChoices):
    """Seed 004 Appendix III: are the child's circumstances improving, the same or worse?"""

    GREEN = "green", "Improving"
    AMBER = "amber", "Staying the same"
    RED = "red", "Getting worse"


class ReviewTheme(models.TextChoices):
    """The themes serious case reviews keep finding, which seed 004's Introduction and seed
    002 ask supervision to consider (issue 15 item 15)."""

    PROFESSIONAL_CURIOSITY = "professional_curiosity", "Professional curiosity"
    DISGUISED_COMPLIANCE = "disguised_compliance", "Disguised compliance"
    MULTI_AGENCY_ASSESSMENT = "multi_agency_assessment", "Multi-agency assessment"
    INFORMATION_SHARING = "information_sharing", "Information sharing"
    RELATIONSHIPS = (
        "relationships",
        "The relationship between the child, adults, any perpetrator and professionals",
    )
    INNER_WORLD = "inner_world", "The child's inner world"
    RESILIENCE = "resilience", "Professional resilience"
    REPEATED_CONCERNS = "repeated_concerns", "Long-term repeated concerns (neglect)"
    OVER_RELIANCE_ON_ACTIONS = "over_reliance_on_actions", "Over-reliance on actions"
    LACK_OF_CHALLENGE = "lack_of_challenge", "Lack of challenge"


class CaseDiscussion(TrackedModel):
    """One child or family discussed in a session (Appendix III "Family Discussion" a–g),
    worked through the 4x4x4 cycle of experience, reflection, analysis and action planning."""

    record = models.ForeignKey(
        SessionRecord, on_delete=models.PROTECT, related_name="case_discussions"
    )
    # The agency whose supervision the discussion took place in: the session's, written once
    # when the discussion is added (a session never changes agency). Kept on the row so the
    # dashboards count a period's discussions by agency without joining every one to its
    # record and session (issue 17 item 2; decision 0032). verify_integrity checks it.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_discussions")
    discussed_on = models.DateField()
    rag_rating = models.CharField(max_length=10, choices=RagRating.choices)
    identified_needs = models.TextField("Identified needs of the child or children", blank=True)
    risks = models.TextField("Risks to the child and from whom or what", blank=True)
    family_engagement = models.TextField(
        "Engagement of the family and capacity for change", blank=True
    )
    plan_and_contributions = models.TextField(
        "Plan for the family and each agency's contribution", blank=True
    )
    plan_amendment = models.TextField(
        "Proposed amendment to the plan for escalating concerns or drift, and how it will be "
        "communicated to multi-agency colleagues",
        blank=True,
    )
    refusal_action = models.TextField(
        "Action if parents refuse services and the significant harm threshold is not met",
        blank=True,
    )
    experience = models.TextField("Experience", blank=True)
    reflection = models.TextField("Reflection", blank=True)
    analysis = models.TextField("Analysis", blank=True)
    action_planning = models.TextField("Action planning", blank=True)
    # Seed 004 "Safeguarding supervision is responsible for": referral for specialist
    # assessment, counted as an outcome of the discussion (issue 15 item 14).
    specialist_referral = models.BooleanField("Referred for specialist assessment", default=False)
    specialist_referral_detail = models.TextField("Which assessment, and by whom", blank=True)
    # Seed 004 Introduction, seed 002: serious case review themes considered (item 15).
    review_themes = models.JSONField(default=list, blank=True)
    # Seed 004 Appendix II (issue 15 item 11): the tool this discussion was worked through,
    # and the stages only Gibbs' cycle (Example 1) has; the others share the four above.
    reflective_tool = models.CharField(
        max_length=10, choices=TOOL_CHOICES, default=ReflectiveTool.ADAPTED
    )
    feelings = models.TextField("Feelings", blank=True)
    evaluation = models.TextField("Evaluation", blank=True)
    conclusion = models.TextField("Conclusion", blank=True)
    # Seed 001 4x4x4 (issue 15 item 12): whose perspectives the discussion considered.
    stakeholders = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["child", "discussed_on"]),
            # Each child's last discussion in one index step, without a sort (the cadence of
            # the children lists; decision 0025).
            models.Index(
                fields=["child", "-discussed_on", "-id"],
                include=["rag_rating"],
                condition=models.Q(archived_at__isnull=True),
                name="discussion_latest_by_child",
            ),
            # The discussions in a dashboard's period (specialist referrals, review themes),
            # not every discussion ever held (issue 17 item 3); referrals from the index.
            models.Index(
                fields=["discussed_on"],
                include=["agency", "specialist_referral"],
                condition=models.Q(archived_at__isnull=True),
                name="discussion_in_period",
            ),
            # Case progression: each child's discussions in an agency in order, with their
            # ratings, read from the index without a sort (decision 0032).
            models.Index(
                fields=["agency", "child", "discussed_on", "id"],
                include=["rag_rating"],
                condition=models.Q(archived_at__isnull=True),
                name="discussion_by_agency_child",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reflective_tool__in=[key for key, _ in TOOL_CHOICES]),
                name="discussion_tool_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} discussed {self.discussed_on:%d %b %Y}"

    def get_review_themes_display(self) -> list[str]:
        return [ReviewTheme(v).label for v in self.review_themes if v in ReviewTheme.values]

    def get_stakeholders_display(self) -> list[str]:
        return [Stakeholder(v).label for v in self.stakeholders if v in Stakeholder.values]

    @property
    def tool(self) -> Tool:
        return tool_for(self.reflective_tool)

    def stages_covered(self) -> list[tuple[str, bool]]:
        """Each stage of the discussion's tool, and whether anything was written for it
        (issue 15 item 11: analysis shows which stages each discussion covered)."""
        return [
            (stage.title, bool((getattr(self, stage.field) or "").strip()))
            for stage in self.tool.stages
        ]

    def stage_texts(self) -> list[tuple[str, str]]:
        return [(stage.title, getattr(self, stage.field) or "") for stage in self.tool.stages]

    def stages_summary(self) -> str:
        return stages_summary(self.stages_covered())


def stages_summary(covered: list[tuple[str, bool]]) -> str:
    """ "3 of 4 stages: Experience, Reflection, Analysis" (issue 15 item 11)."""
    done = [title for title, was in covered if was]
    if not done:
        return f"None of the {len(covered)} stages"
    return f"{len(done)} of {len(covered)} stages: " + ", ".join(done)


class ReflectionSettings(TrackedModel):
    """The reflective tool an agency offers first on every case discussion (seed 004
    Appendix II; issue 15 item 11). Without a row, the adapted cycle (Example 3)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="reflection_settings"
    )
    default_tool = models.CharField(
        "Reflective tool offered first",
        max_length=10,
        choices=TOOL_CHOICES,
        default=ReflectiveTool.ADAPTED,
    )

    class Meta:
        verbose_name_plural = "reflection settings"

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_default_tool_display()}"


class ManagementOversight(TrackedModel):
    """A management oversight record: a decision about a child by a line manager or supervisor,
    with its rationale and any variation from procedure, with or without a session (seed 004
    Definition and "The Supervision Process")."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="management_oversights")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oversights_made"
    )
    made_on = models.DateField()
    summary = models.TextField("What was reviewed", blank=True)
    session = models.ForeignKey(
        Session,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="management_oversights",
    )

    class Meta:
        ordering = ["-made_on", "-id"]

    def __str__(self) -> str:
        return f"Management oversight of {self.child} on {self.made_on:%d %b %Y}"


DECISION_NEEDS_ONE_HOME = (
    "A decision is recorded in one case discussion or one management oversight record."
)


class DecisionKind(models.TextChoices):
    """Key points in the work with a child and family where line management may have to
    authorise the decision (seed 004 "Line management": "Authorisation of decisions made at
    key points in the process of work with children and their families")."""

    STEP_UP = "step_up", "Step up to a higher level of intervention"
    STEP_DOWN = "step_down", "Step down to a lower level of intervention"
    CLOSURE = "closure", "Closing the case"
    STRATEGY = "strategy", "Strategy discussion or child protection enquiry"
    LEGAL = "legal", "Legal planning or proceedings"
    OTHER = "other", "Another decision"


class AuthorisationStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    AWAITING = "awaiting", "Awaiting authorisation"
    AUTHORISED = "authorised", "Authorised"
    RETURNED = "returned", "Returned"


class Decision(TrackedModel):
    """A decision about a child. It must be on the child's own file as soon as possible and
    within two working days (seed 001 standard 6); an immediate concern is escalated at the time
    of identification (seed 004 objective 4), so it is due the same day."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="decisions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions_made"
    )
    decision = models.TextField()
    rationale = models.TextField()
    variation_from_procedure = models.TextField(blank=True)
    case_discussion = models.ForeignKey(
        CaseDiscussion, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    management_oversight = models.ForeignKey(
        ManagementOversight,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    immediate_concern = models.BooleanField(default=False)
    file_due_on = models.DateField()
    recorded_on_file_at = models.DateTimeField(null=True, blank=True)
    recorded_on_file_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case_system_reference = models.CharField(max_length=100, blank=True)
    kind = models.CharField(
        "Kind of decision", max_length=20, choices=DecisionKind.choices, default=DecisionKind.OTHER
    )
    # Issue 15 item 2: the agency's policy says which kinds a line manager must authorise.
    authorisation = models.CharField(
        max_length=12, choices=AuthorisationStatus.choices, default=AuthorisationStatus.NOT_NEEDED
    )
    authorisation_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    authorisation_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "recorded_on_file_at", "file_due_on"]),
            # The decisions waiting for the child's file (a few thousand of a partnership's
            # hundreds of thousands), by child: the children a person sees are counted and
            # ordered without reading the table (issue 17 item 3; decision 0025). The
            # covering columns are PostgreSQL's; SQLite keeps the plain partial index.
            models.Index(
                fields=["child"],
                include=["file_due_on", "immediate_concern", "id"],
                condition=models.Q(recorded_on_file_at__isnull=True, archived_at__isnull=True),
                name="decision_waiting_by_child",
            ),
            # The decisions made in a dashboard's period and its 12-month trend, counted from
            # the index alone, not every decision each agency ever made (decision 0032).
            models.Index(
                fields=["decided_on"],
                include=["id", "agency", "recorded_on_file_at", "file_due_on"],
                condition=models.Q(archived_at__isnull=True),
                name="decision_in_period",
            ),
        ]
        constraints = [
            # Issue 10 item 10: a decision is made in exactly one case discussion or one
            # management oversight record (seed 004 Definition keeps the two apart).
            models.CheckConstraint(
                condition=(
                    models.Q(case_discussion__isnull=False, management_oversight__isnull=True)
                    | models.Q(case_discussion__isnull=True, management_oversight__isnull=False)
                ),
                name="decision_in_one_discussion_or_oversight",
                violation_error_message=DECISION_NEEDS_ONE_HOME,
            )
        ]

    def __str__(self) -> str:
        return f"Decision about {self.child} on {self.decided_on:%d %b %Y}"

    @property
    def awaiting_authorisation(self) -> bool:
        return self.authorisation == AuthorisationStatus.AWAITING

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.recorded_on_file_at is None and day > self.file_due_on

    @property
    def recorded_late(self) -> bool:
        return (
            self.recorded_on_file_at is not None
            and timezone.localdate(self.recorded_on_file_at) > self.file_due_on
        )


class AuthorisationStep(models.Model):
    """One dated step in a decision's authorisation (issue 15 item 2): asked for, authorised,
    or returned with a reason. Written once, never changed; the audit log has each too."""

    class Step(models.TextChoices):
        REQUESTED = "requested", "Authorisation asked for"
        AUTHORISED = "authorised", "Authorised"
        RETURNED = "returned", "Returned"

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="authorisation_steps"
    )
    step = models.CharField(max_length=12, choices=Step.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.decision}"


class AgencyDecisionPolicy(TrackedModel):
    """Which kinds of decision the agency's line managers must authorise (seed 004 "Line
    management"; issue 15 item 2). One live row per agency; none means none need it."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="+")
    kinds_needing_authorisation = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name_plural = "agency decision policies"

    def __str__(self) -> str:
        return f"Decision authorisation in {self.agency}"

    def needs_authorisation(self, kind: str) -> bool:
        return kind in self.kinds_needing_authorisation

    def get_kinds_display(self) -> list[str]:
        return [
            DecisionKind(v).label
            for v in self.kinds_needing_authorisation
            if v in DecisionKind.values
        ]


class ShortfallKind(models.TextChoices):
    """Seed 004 "Line management": senior managers are kept informed of factors that may harm
    the ability of staff to deliver quality services."""

    WORKLOAD = "workload", "Workload"
    RESOURCES = "resources", "Resource shortfall"
    KNOWLEDGE = "knowledge", "Gap in knowledge or skills"


class ServiceShortfall(TrackedModel):
    """A factor a supervisor or line manager sees may harm the service, routed to the agency's
    senior managers, who answer it (seed 004 "Line management"; issue 15 item 3)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=ShortfallKind.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shortfalls_raised"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    description = models.TextField("What is happening")
    impact = models.TextField("How it may affect the service", blank=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["agency", "answered_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(answered_at__isnull=True, answered_by__isnull=True)
                    | models.Q(answered_at__isnull=False, answered_by__isnull=False)
                ),
                name="shortfall_answered_with_who_and_when",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.agency}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def days_to_answer(self) -> int | None:
        if self.answered_at is None:
            return None
        return (timezone.localdate(self.answered_at) - timezone.localdate(self.raised_at)).days


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class OversightFocus(models.TextChoices):
    """What a management oversight action is about (seed 004 Definition: oversight takes into
    account the practitioner's caseload, assesses practice capability and makes sure remedial
    actions are taken)."""

    CASELOAD = "caseload", "Caseload"
    PRACTICE_CAPABILITY = "practice_capability", "Practice capability"
    REMEDIAL = "remedial", "Remedial action"


ACTION_NEEDS_ONE_ORIGIN = (
    "An action comes from one supervision record or one management oversight record."
)


class Action(TrackedModel):
    """An agreed action: what, who is responsible and by when (Appendix III "Agreed Actions"),
    and which child if any. It comes from a supervision record or from a management oversight
    record (seed 004 Definition: "plans for assessing completion of required actions")."""

    origin_record = models.ForeignKey(
        SessionRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    origin_oversight = models.ForeignKey(
        ManagementOversight,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    focus = models.CharField(
        "What the action is about", max_length=30, choices=OversightFocus.choices, blank=True
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_actions"
    )
    due_on = models.DateField()
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="supervision_actions"
    )
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)
    dropped_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            # Compliance on any date asks "overdue then": open now, or completed after it.
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["completed_on"]),
        ]
        constraints = [
            # Issue 15 item 1: exactly one origin, a session record or an oversight record.
            models.CheckConstraint(
                condition=(
                    models.Q(origin_record__isnull=False, origin_oversight__isnull=True)
                    | models.Q(origin_record__isnull=True, origin_oversight__isnull=False)
                ),
                name="action_from_one_record_or_oversight",
                violation_error_message=ACTION_NEEDS_ONE_ORIGIN,
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.status == ActionStatus.OPEN and day > self.due_on

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class FollowUpOutcome(models.TextChoices):
    DONE = "done", "Done"
    CARRIED_FORWARD = "carried_forward", "Carried forward"
    DROPPED = "dropped", "Dropped"


class ActionFollowUp(TrackedModel):
    """What a later session found about an earlier action (Appendix III "Follow up from
    previous Supervision Session"); one row per session so the trail stays visible."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="follow_ups")
    record = models.ForeignKey(
        SessionRecord, on_delete=models.PROTECT, related_name="action_follow_ups"
    )
    outcome = models.CharField(max_length=20, choices=FollowUpOutcome.choices)
    note = models.TextField(blank=True)
    new_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "record"], name="follow_up_once_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_outcome_display()}"


class Addendum(models.Model):
    """The only way to correct a signed record: who, when, why and what (seed 001
    "Recording"). Never changed once written."""

    record = models.ForeignKey(SessionRecord, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    text = models.TextField()
    # SHA-256 of what was written (issue 10 item 4), so a later change shows in verify_integrity.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum to {self.record} by {self.author}"


class SignedContent(models.Model):
    """What both people signed, as they saw it (issue 10 item 4; seed 001 "Recording": the
    supervisee receives a signed copy): a canonical JSON snapshot of everything the signed
    page and PDF show, names of people and children as they were, with its SHA-256. The
    signed page and PDF render from it; addenda stay separate, later entries. Written once
    when the record is fully signed, never changed (``supervision.signed``)."""

    record = models.OneToOneField(
        SessionRecord, on_delete=models.PROTECT, related_name="signed_content"
    )
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "signed contents"

    def __str__(self) -> str:
        return f"Signed content of {self.record_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Signed content is written once and never changed.")
        super().save(*args, **kwargs)


class RecordDisclosure(models.Model):
    """Which supervision record a confidentiality disclosure arose from (seed 003). The link
    lives here because supervision may point at children and never the other way round
    (decision 0001); the lead reads the disclosure only, never the record through it."""

    disclosure = models.OneToOneField(
        ConfidentialityDisclosure, on_delete=models.PROTECT, related_name="source_record"
    )
    record = models.ForeignKey(SessionRecord, on_delete=models.PROTECT, related_name="disclosures")

    def __str__(self) -> str:
        return f"{self.disclosure} from {self.record}"


class TallyKind(models.TextChoices):
    """What a day's tally counts (decision 0033)."""

    RECORDS = "records", "Session records"  # key ""
    ELEMENT = "element", "Records covering a key element"  # key: the KeyElement
    DISCUSSIONS = "discussions", "Case discussions"  # key ""
    REFERRED = "referred", "Referred for specialist assessment"  # key ""
    THEME = "theme", "Discussions considering a review theme"  # key: the ReviewTheme
    MOVE = "move", "Rating moves"  # key: "<rating before>><rating>"
    STATUS = "status", "Legal status changes"  # key: "<status before>><status>"
    THROUGH = "through", "Kept through"  # one per agency: its last kept day, n = 0


class DayTally(models.Model):
    """What one agency's session records and case discussions of one closed day add up to:
    the key elements covered (seed 001 "Key elements"), the discussions, their referrals for
    specialist assessment and review themes (seed 004), each child's move between RAG
    ratings since its previous discussion in the agency, and its children's changes of legal
    status (seed 004 "Assurance indicators" 4).
    A past period's tables add up a few rows per day instead of reading every record (issue
    17 item 2). Kept by ``services.tallies`` for every day up to the agency's THROUGH row;
    the services that add or change a record or discussion recount the days they touch, so
    a record written up late moves the right day. Days after THROUGH are counted live."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False)
    on = models.DateField()
    kind = models.CharField(max_length=12, choices=TallyKind.choices)
    key = models.CharField(max_length=60, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["on", "agency", "kind", "key"], name="one_tally_per_agency_day_kind_key"
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=models.Q(kind="through"),
                name="one_tally_kept_through_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} for agency {self.agency_id} on {self.on:%d %b %Y}"
