"""The child register: the children and families that practitioners bring to supervision.

Only what supervision needs is held here (issue 3 "a minimal child register"): the owning
agency's own case reference, initials or a display name, an optional date of birth, the legal
status over time and the agencies involved. The child's full file stays in the agency's own
case system (seed 001 standard 6: decisions are recorded there within two working days)."""

from __future__ import annotations

from django.db import models

from oversight.core.models import TrackedModel
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

    class Meta:
        ordering = ["display_name"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "case_reference"], name="child_unique_case_reference"
            )
        ]
        indexes = [models.Index(fields=["agency", "legal_status"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.case_reference})"


class ChildStatus(DatedModel):
    """One period of a legal status; the current one has no end date."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="status_history")
    status = models.CharField(max_length=20, choices=LegalStatus.choices)

    class Meta:
        ordering = ["child", "-starts_on"]
        verbose_name_plural = "child statuses"

    def __str__(self) -> str:
        return f"{self.child}: {self.get_status_display()} from {self.starts_on}"
