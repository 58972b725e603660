"""Agency supervision policy (issue 3 item 1) and, below it, supervision contracts.

Where the seeds leave a value to agency policy the product makes it a setting with the
seeds' default (shared/domain.md, "Rules with numbers"): monthly sessions, never more than
three months apart (001 "Agreed frequency"; 004 "minimum quarterly"), more often for newly
qualified or new-to-post staff (001, 004), records signed within five working days, contracts
reviewed every twelve months (001 Practice guidance; 004 App. IV)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from oversight.core.models import TrackedModel
from oversight.people.models import Agency, StaffGroup

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
        help_text="Children in need discussed at least this often (seed 004 objective 4).",
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
        group = self.staff_group
        if group is not None and self.agency_id and group.agency_id != self.agency_id:
            errors["staff_group"] = "Choose a staff group in this agency."
        if errors:
            raise ValidationError(errors)
