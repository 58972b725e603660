"""The partnership, its agencies and teams, the people in them, and who supervises and
line-manages whom over time (seed 001 "Supervisor responsibilities": a handover when line
management changes; seed 004 Definition: management oversight and safeguarding supervision
may be held by different people, so the two relationships are kept apart)."""

from __future__ import annotations

import datetime as dt
from typing import Self

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from oversight.core.models import TrackedModel, TrackedQuerySet


class Sector(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    EDUCATION = "education", "Education"
    EARLY_YEARS = "early_years", "Early years"
    VOLUNTARY = "voluntary", "Voluntary and community"
    SPORT = "sport", "Sport"
    OTHER = "other", "Other"


class Nation(models.TextChoices):
    """The UK nation whose bank holidays count as non-working days for an agency."""

    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class Partnership(TrackedModel):
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Agency(TrackedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    nation = models.CharField(max_length=3, choices=Nation.choices, default=Nation.ENGLAND)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(TrackedModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class StaffGroup(TrackedModel):
    """A group of staff an agency sets supervision policy for (e.g. health visitors)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff_groups")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="staff_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PersonManager(UserManager["Person"]):
    def get_by_natural_key(self, username: str | None) -> Person:
        return self.get(username__iexact=username)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who works in the partnership and signs in to Oversight."""

    username = models.CharField(max_length=150, unique=True)
    email = models.EmailField(unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    calendar_token = models.CharField(max_length=64, blank=True, db_index=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="For optimistic locking of administrators' edits."
    )

    objects = PersonManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "given_name", "family_name"]

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or self.username

    def get_full_name(self) -> str:
        return self.display_name

    @property
    def account_state(self) -> str:
        """Closed (they left), invited (they have not set a password yet) or active
        (issue 11 item 1)."""
        if not self.is_active:
            return "closed"
        return "active" if self.has_usable_password() else "invited"

    def get_short_name(self) -> str:
        return self.given_name


class ContactLevel(models.TextChoices):
    """Seed 004 Appendix IV has a contract for each: direct and indirect contact."""

    DIRECT = "direct", "Direct contact with children and families"
    INDIRECT = "indirect", "Indirect contact with children and families"


NEW_STARTER_END_REQUIRED = "Enter the date the newly-qualified or new-to-post period ends."


class NewStarter(models.TextChoices):
    """Seeds 001 and 004: newly qualified and newly appointed staff are supervised more often."""

    NO = "", "Neither"
    NEWLY_QUALIFIED = "newly_qualified", "Newly qualified"
    NEW_TO_POST = "new_to_post", "New to post"


class DatedQuerySet(TrackedQuerySet):
    """Rows that hold from ``starts_on`` until ``ends_on`` (inclusive; open-ended when null)."""

    def on(self, day: dt.date) -> Self:
        return (
            self.live()
            .filter(starts_on__lte=day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        )

    def current(self) -> Self:
        return self.on(timezone.localdate())


ENDS_BEFORE_START = "The end date must be on or after the start date."


def ends_on_or_after_start(name: str) -> models.CheckConstraint:
    """The database refuses a dated row that ends before it starts (issue 10 item 10): the
    "current on a day" reads (``DatedQuerySet.on``) assume it."""
    return models.CheckConstraint(
        condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
        name=name,
        violation_error_message=ENDS_BEFORE_START,
    )


class DatedModel(TrackedModel):
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": ENDS_BEFORE_START})

    def is_current_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class Membership(DatedModel):
    """A person's post in an agency. A person may hold posts in several agencies."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    staff_group = models.ForeignKey(
        StaffGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    job_title = models.CharField(max_length=200)
    employee_number = models.CharField(max_length=50, blank=True)
    contact_level = models.CharField(
        max_length=10, choices=ContactLevel.choices, default=ContactLevel.DIRECT
    )
    new_starter = models.CharField(
        max_length=20, choices=NewStarter.choices, blank=True, default=NewStarter.NO
    )
    new_starter_until = models.DateField(
        null=True,
        blank=True,
        help_text="The date the newly-qualified or new-to-post period ends.",
    )

    class Meta:
        ordering = ["agency__name", "person__family_name"]
        indexes = [models.Index(fields=["agency", "starts_on", "ends_on"])]
        constraints = [ends_on_or_after_start("membership_ends_on_or_after_start")]

    def __str__(self) -> str:
        return f"{self.person} – {self.job_title}, {self.agency}"

    def clean(self) -> None:
        super().clean()
        if self.team is not None and self.agency_id and self.team.agency_id != self.agency_id:
            raise ValidationError({"team": "Choose a team in the same agency."})
        group = self.staff_group
        if group is not None and self.agency_id and group.agency_id != self.agency_id:
            raise ValidationError({"staff_group": "Choose a staff group in the same agency."})
        if self.new_starter and not self.new_starter_until:
            raise ValidationError({"new_starter_until": NEW_STARTER_END_REQUIRED})

    def is_new_starter_on(self, day: dt.date) -> bool:
        return bool(self.new_starter) and (
            self.new_starter_until is None or day <= self.new_starter_until
        )


class SupervisionRelationship(DatedModel):
    """Who gave safeguarding supervision to whom, from when to when, in which agency."""

    supervisor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="supervisions_given"
    )
    supervisee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="supervisions_received"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    handover_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handed_over_to",
        help_text="The relationship this one took over from.",
    )
    handover_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["supervisor", "starts_on", "ends_on"]),
            models.Index(fields=["supervisee", "starts_on", "ends_on"]),
        ]
        constraints = [ends_on_or_after_start("supervision_ends_on_or_after_start")]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.supervisee}"

    def clean(self) -> None:
        super().clean()
        if self.supervisor_id and self.supervisor_id == self.supervisee_id:
            raise ValidationError("A person cannot be their own supervisor.")


class LineManagement(DatedModel):
    """Who line-managed whom, kept apart from safeguarding supervision (seed 004 Definition)."""

    manager = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reports_managed")
    report = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="line_managers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    handover_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="handed_over_to"
    )
    handover_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["manager", "starts_on", "ends_on"]),
            models.Index(fields=["report", "starts_on", "ends_on"]),
        ]
        constraints = [ends_on_or_after_start("line_management_ends_on_or_after_start")]

    def __str__(self) -> str:
        return f"{self.manager} line-manages {self.report}"

    def clean(self) -> None:
        super().clean()
        if self.manager_id and self.manager_id == self.report_id:
            raise ValidationError("A person cannot be their own line manager.")


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SUPERVISOR = "supervisor", "Safeguarding supervisor"
    LINE_MANAGER = "line_manager", "Line manager"
    AGENCY_LEAD = "agency_lead", "Agency safeguarding lead"
    # Seed 004 "Line management": kept informed of workload and resource shortfalls.
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    PARTNERSHIP_AUDITOR = "partnership_auditor", "Partnership auditor"
    ADMINISTRATOR = "administrator", "Administrator"


PARTNERSHIP_ROLES = {Role.PARTNERSHIP_AUDITOR, Role.ADMINISTRATOR}


class RoleAssignment(DatedModel):
    """A role held by a person: per agency, except partnership auditor and administrator."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )

    class Meta:
        ordering = ["person__family_name", "role"]
        indexes = [models.Index(fields=["person", "role"])]
        constraints = [ends_on_or_after_start("role_ends_on_or_after_start")]

    def __str__(self) -> str:
        where = f" in {self.agency}" if self.agency_id else " (partnership)"
        return f"{self.person}: {self.get_role_display()}{where}"

    def clean(self) -> None:
        super().clean()
        if self.role in PARTNERSHIP_ROLES and self.agency_id:
            raise ValidationError(
                {"agency": "This role is held across the partnership, not per agency."}
            )
        if self.role not in PARTNERSHIP_ROLES and not self.agency_id:
            raise ValidationError({"agency": "Choose the agency this role is held in."})


class TrainingKind(models.TextChoices):
    """Supervisor training (seed 001 Competence) and the safeguarding children training every
    member of staff needs (seed 002, Working Together; issue 15 item 6)."""

    SUPERVISOR = "supervisor", "Safeguarding supervision training (for supervisors)"
    SAFEGUARDING = "safeguarding", "Safeguarding children training (for all staff)"


class TrainingRecord(TrackedModel):
    """Supervisor training (seed 001 Competence; seed 004: supervisors trained in supervision)
    and safeguarding children training for all staff (seed 002; issue 15 item 6)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_records")
    kind = models.CharField(
        "Type of training",
        max_length=20,
        choices=TrainingKind.choices,
        default=TrainingKind.SUPERVISOR,
    )
    course = models.CharField(max_length=200)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on:%d %b %Y})"

    def clean(self) -> None:
        super().clean()
        if self.expires_on and self.completed_on and self.expires_on < self.completed_on:
            raise ValidationError(
                {"expires_on": "The expiry date must be after the completion date."}
            )

    def is_valid_on(self, day: dt.date) -> bool:
        return self.completed_on <= day and (self.expires_on is None or day <= self.expires_on)

    def is_lapsed_on(self, day: dt.date) -> bool:
        """It had an expiry date and ``day`` is after it."""
        return self.expires_on is not None and day > self.expires_on


class Qualification(TrackedModel):
    """A professional qualification a person holds, with the date it was awarded: what an
    agency's minimum requirements for supervisors ask about (seed 004: "each agency will
    identify the minimum requirements" - experience and qualification; issue 15 item 5)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="qualifications")
    name = models.CharField("Qualification", max_length=200)
    awarded_on = models.DateField("Awarded on")

    class Meta:
        ordering = ["awarded_on"]

    def __str__(self) -> str:
        return f"{self.name} ({self.awarded_on:%d %b %Y})"


class SupervisorRequirements(TrackedModel):
    """An agency's minimum requirements for its safeguarding supervisors (seed 004 "Supervision
    Standards": "each agency will identify the minimum requirements for their supervisors
    including training, experience and qualification"). Until an agency has set them, only the
    supervisor role is checked."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="supervisor_requirements"
    )
    training_course = models.CharField(
        "Supervisor training course",
        max_length=200,
        blank=True,
        help_text="Leave blank to accept any safeguarding supervision course.",
    )
    training_must_be_in_date = models.BooleanField(
        "The training must not have expired", default=True
    )
    experience_years = models.PositiveSmallIntegerField(
        "Years of qualified experience",
        default=0,
        validators=[MaxValueValidator(40)],
        help_text="Counted from the first professional qualification. 0 for none.",
    )
    qualification = models.CharField(
        "Professional qualification",
        max_length=200,
        blank=True,
        help_text="For example, Social work degree. Leave blank if any is acceptable.",
    )

    class Meta:
        verbose_name_plural = "supervisor requirements"
        constraints = [
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(archived_at__isnull=True),
                name="supervisor_requirements_one_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"Minimum requirements for supervisors in {self.agency}"


class SupervisorException(TrackedModel):
    """A lead's recorded decision to let someone supervise in their agency although they do
    not meet its minimum requirements (seed 004; issue 15 item 5): who decided, when, why, and
    what was missing then. Withdrawn by archiving with a reason."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="supervisor_exceptions"
    )
    reason = models.TextField()
    shortfalls = models.JSONField(default=list, blank=True)
    granted_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    granted_on = models.DateField()
    review_by = models.DateField(
        "Review by",
        null=True,
        blank=True,
        help_text="The exception no longer counts after this date. Leave blank for none.",
    )

    class Meta:
        ordering = ["-granted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_by__isnull=True) | Q(review_by__gte=models.F("granted_on")),
                name="supervisor_exception_review_after_grant",
            )
        ]

    def __str__(self) -> str:
        return f"Exception for {self.supervisor} to supervise in {self.agency}"

    def is_in_force_on(self, day: dt.date) -> bool:
        return (
            self.archived_at is None
            and self.granted_on <= day
            and (self.review_by is None or day <= self.review_by)
        )


class ChangeRequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"


class SupervisionChangeRequest(TrackedModel):
    """Seeking alternative arrangements (issue 15 item 9): the supervisor or the supervisee
    asks for the supervisory relationship to be changed, and the agency's lead decides. When
    the lead agrees, the relationship ends with the usual handover (seed 001 "Supervisor
    responsibilities")."""

    relationship = models.ForeignKey(
        SupervisionRelationship, on_delete=models.PROTECT, related_name="change_requests"
    )
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.OPEN
    )
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    last_day = models.DateField(null=True, blank=True)
    new_relationship = models.ForeignKey(
        SupervisionRelationship,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(status="open", archived_at__isnull=True),
                name="change_request_one_open_per_relationship",
            ),
            models.CheckConstraint(
                condition=Q(status="open", decided_on__isnull=True)
                | (~Q(status="open") & Q(decided_on__isnull=False, decided_by__isnull=False)),
                name="change_request_decided_when_not_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="change_request_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Request to change supervision: {self.relationship}"

    @property
    def is_open(self) -> bool:
        return self.status == ChangeRequestStatus.OPEN


class StaffImportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    CHECKING = "checking", "Checking rows"
    SAVING = "saving", "Importing rows"
    DONE = "done", "Import complete"
    REFUSED = "refused", "Nothing was imported"
    FAILED = "failed", "The import stopped"


class StaffImport(TrackedModel):
    """One upload of the staff CSV, imported by the task queue's worker (issue 10 item 9: a
    5,000-row file no longer runs inside one request). The page reads its progress from here.
    The file's text is kept only until the import ends; the outcome (counts, or every bad row
    with its reason) stays."""

    FINISHED = (StaffImportState.DONE, StaffImportState.REFUSED, StaffImportState.FAILED)

    filename = models.CharField(max_length=255)
    content = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=StaffImportState.choices, default=StaffImportState.QUEUED
    )
    rows_total = models.PositiveIntegerField()
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    origin_ip = models.GenericIPAddressField(null=True, blank=True)
    origin_user_agent = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")),
                name="staff_import_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"Staff import {self.filename} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED
