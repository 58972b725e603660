"""Administration pages (issue 2 "Pages"): administrators manage the organisation, people,
posts, relationships, roles and training. Every write goes through people.services; every
form page is a ManageFormView."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import ListView, TemplateView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.forms import ArchiveForm
from oversight.core.models import OutgoingEmail

from .. import selectors, services, standards
from ..forms import (
    AgencyForm,
    DeactivateForm,
    EndForm,
    MembershipCreateForm,
    MembershipForm,
    NamedInAgencyForm,
    PeopleSearchForm,
    PersonCreateForm,
    PersonForm,
    RelationshipStartForm,
    RoleAssignForm,
    StaffGroupForm,
    TrainingRecordAddForm,
)
from ..models import (
    Agency,
    LineManagement,
    Membership,
    Person,
    Qualification,
    Role,
    RoleAssignment,
    SupervisionRelationship,
    Team,
    TrainingRecord,
)
from ..rules import Permission
from .base import ManageFormView


class ManageMixin(RuleRequiredMixin, BreadcrumbsMixin):
    permission_required = Permission.MANAGE_ORGANISATION

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), ("Administration", None)]


class ManageIndexView(ManageMixin, TemplateView):
    template_name = "people/manage/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.organisation_counts()
        context["emails_not_sent"] = OutgoingEmail.objects.failed().count()
        return context


class ManageAgencyListView(ManageMixin, ListView):
    template_name = "people/manage/agency_list.html"
    context_object_name = "agencies"

    def get_queryset(self) -> QuerySet[Agency]:
        return selectors.agencies_for_administration()

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Administration", reverse("people:manage_index")),
            ("Agencies", None),
        ]


class ManagePersonListView(ManageMixin, ListView):
    template_name = "people/manage/person_list.html"
    context_object_name = "people"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Person]:
        self.search_form = PeopleSearchForm(self.request.GET or None)
        search = self.search_form.cleaned_data["q"] if self.search_form.is_valid() else ""
        return selectors.people_for_administration(search=search)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["search_form"] = self.search_form
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Administration", reverse("people:manage_index")),
            ("People", None),
        ]


class ManagePersonView(ManageMixin, TemplateView):
    """A person's account, posts, relationships, roles and training, with their actions."""

    template_name = "people/manage/person.html"

    def get_object(self) -> Person:
        get_object_or_404(Person.objects.only("pk"), pk=self.kwargs["pk"])
        return selectors.person_admin_detail(person_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["person"] = self.object
        day = timezone.localdate()
        for record in self.object.training:
            record.lapsed = record.is_lapsed_on(day)
        context["training_status"] = selectors.supervisor_training_status(self.object)
        context["qualifications"] = Qualification.objects.live().filter(person=self.object)
        context["last_invitation"] = selectors.last_invitation(self.object)
        context["invitation_days"] = settings.INVITATION_DAYS
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*_people_crumbs(), (self.object.display_name, None)]


def _people_crumbs() -> list[tuple[str, str | None]]:
    return [
        ("Home", reverse("home")),
        ("Administration", reverse("people:manage_index")),
        ("People", reverse("people:manage_person_list")),
    ]


def _agency_crumbs() -> list[tuple[str, str | None]]:
    return [("Agencies", reverse("people:manage_agency_list"))]


# --- Agencies, teams, staff groups ---------------------------------------------------------


class AgencyCreateView(ManageFormView):
    form_class = AgencyForm
    heading = "Add an agency"
    success_message = "{result.name} added."

    def extra_crumbs(self) -> list[tuple[str, str | None]]:
        return _agency_crumbs()

    def perform(self, form: Any) -> Agency:
        return services.agency_create(actor=self.actor, **form.changes(), origin=self.origin())

    def get_success_url(self) -> str:
        return reverse("people:manage_agency_list")


class _EditView(ManageFormView):
    """Edit a versioned record through ``update_service`` with optimistic locking."""

    submit_label = "Save changes"
    success_message = "Changes saved."
    update_service: Any = None
    target_name = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form: Any) -> Any:
        return type(self).update_service(
            actor=self.actor,
            **{self.target_name: self.object},
            changes=form.changes(),
            expected_version=form.cleaned_data.get("version"),
            origin=self.origin(),
        )


class AgencyEditView(_EditView):
    model = Agency
    form_class = AgencyForm
    update_service = services.agency_update
    target_name = "agency"

    def get_heading(self) -> str:
        return f"Change {self.object.name}"

    def extra_crumbs(self) -> list[tuple[str, str | None]]:
        return _agency_crumbs()

    def get_success_url(self) -> str:
        return reverse("people:manage_agency_list")


class _InAgencyCreateView(ManageFormView):
    """Add a team or staff group to the agency in the URL."""

    model = Agency
    service: Any = None
    noun = ""

    def get_heading(self) -> str:
        return f"Add a {self.noun} to {self.object.name}"

    def extra_crumbs(self) -> list[tuple[str, str | None]]:
        return _agency_crumbs()

    def perform(self, form: Any) -> Any:
        return type(self).service(
            actor=self.actor,
            agency=self.object,
            name=form.cleaned_data["name"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("people:manage_agency_list")


class TeamCreateView(_InAgencyCreateView):
    form_class = NamedInAgencyForm
    service = services.team_create
    noun = "team"
    success_message = "Team {result.name} added."


class StaffGroupCreateView(_InAgencyCreateView):
    form_class = StaffGroupForm
    service = services.staff_group_create
    noun = "staff group"
    success_message = "Staff group {result.name} added."


class TeamEditView(_EditView):
    model = Team
    form_class = NamedInAgencyForm
    update_service = services.team_update
    target_name = "team"

    def get_heading(self) -> str:
        return f"Change {self.object.name}"

    def extra_crumbs(self) -> list[tuple[str, str | None]]:
        return _agency_crumbs()

    def get_success_url(self) -> str:
        return reverse("people:manage_agency_list")


# --- People -------------------------------------------------------------------------------


class _PersonPageMixin:
    """Pages about one person sit under their administration page."""

    object: Any
    section: tuple[str, str] | None = None

    def person(self) -> Person:
        return self.object if isinstance(self.object, Person) else self.object.person

    def extra_crumbs(self) -> list[tuple[str, str | None]]:
        person = self.person()
        return [
            *_people_crumbs()[1:],
            (person.display_name, reverse("people:manage_person", args=[person.pk])),
        ]

    def get_success_url(self) -> str:
        return reverse("people:manage_person", args=[self.person().pk])


class PersonCreateView(ManageFormView):
    form_class = PersonCreateForm
    heading = "Add a person"
    intro = "We email them an invitation with a link to set their own password."
    success_message = (
        "{result.display_name} added. We have emailed them an invitation to set their password."
        " Now add their post."
    )
    section = None

    def extra_crumbs(self) -> list[tuple[str, str | None]]:
        return _people_crumbs()[1:]

    def perform(self, form: Any) -> Person:
        return services.person_create(
            actor=self.actor,
            **form.changes(),
            submission_token=form.cleaned_data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("people:manage_person", args=[self.result.pk])


class PersonEditView(_PersonPageMixin, _EditView):
    model = Person
    form_class = PersonForm
    update_service = services.person_update
    target_name = "person"

    def get_heading(self) -> str:
        return f"Change {self.object.display_name}’s details"


class PersonDeactivateView(_PersonPageMixin, ManageFormView):
    model = Person
    form_class = DeactivateForm
    submit_label = "Close account"
    success_message = "Account closed."

    def get_queryset(self) -> QuerySet[Person]:
        return Person.objects.filter(is_active=True)

    def get_initial(self) -> dict[str, Any]:
        return {"ends_on": timezone.localdate()}

    def get_heading(self) -> str:
        return f"Close {self.object.display_name}’s account"

    def perform(self, form: Any) -> Person:
        return services.person_deactivate(
            actor=self.actor,
            person=self.object,
            reason=form.cleaned_data["reason"],
            ends_on=form.cleaned_data["ends_on"],
            origin=self.origin(),
        )


class MembershipCreateView(_PersonPageMixin, ManageFormView):
    model = Person
    form_class = MembershipCreateForm
    submit_label = "Add post"
    success_message = "Post added."

    def get_heading(self) -> str:
        return f"Add a post for {self.object.display_name}"

    def perform(self, form: Any) -> Membership:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        data.pop("ends_on", None)
        return services.membership_create(
            actor=self.actor,
            person=self.object,
            origin=self.origin(),
            **data,
        )


class MembershipEditView(_PersonPageMixin, _EditView):
    model = Membership
    form_class = MembershipForm
    update_service = services.membership_update
    target_name = "membership"

    def get_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.live().select_related("person", "agency")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.object.agency}

    def get_heading(self) -> str:
        return f"Change post: {self.object.job_title}, {self.object.agency}"


class _EndView(_PersonPageMixin, ManageFormView):
    """End a dated row (post, relationship, role) through ``end_service``."""

    form_class = EndForm
    submit_label = "End"
    end_service: Any = None
    target_name = ""
    noun = ""

    def get_initial(self) -> dict[str, Any]:
        return {"ends_on": timezone.localdate()}

    def get_queryset(self) -> Any:
        return self.model._default_manager.live().filter(ends_on__isnull=True)

    def get_heading(self) -> str:
        return f"End {self.noun}: {self.object}"

    def perform(self, form: Any) -> Any:
        return type(self).end_service(
            actor=self.actor,
            **{self.target_name: self.object},
            ends_on=form.cleaned_data["ends_on"],
            origin=self.origin(),
        )


class MembershipEndView(_EndView):
    model = Membership
    end_service = services.membership_end
    target_name = "membership"
    noun = "post"
    success_message = "Post ended."


class SupervisionEndView(_EndView):
    model = SupervisionRelationship
    end_service = services.supervision_relationship_end
    target_name = "relationship"
    noun = "supervision"
    success_message = "Supervision ended."

    def person(self) -> Person:
        return self.object.supervisee


class LineManagementEndView(_EndView):
    model = LineManagement
    end_service = services.line_management_end
    target_name = "relationship"
    noun = "line management"
    success_message = "Line management ended."

    def person(self) -> Person:
        return self.object.report


class RoleEndView(_EndView):
    model = RoleAssignment
    end_service = services.role_end
    target_name = "assignment"
    noun = "role"
    success_message = "Role ended."


class _RelationshipStartView(_PersonPageMixin, ManageFormView):
    """Give the person in the URL a new supervisor or line manager; the current one in that
    agency ends the day before and hands over (seed 001)."""

    model = Person
    form_class = RelationshipStartForm
    submit_label = "Start"
    start_service: Any = None
    senior_label = ""
    roles = ("", "")
    senior_roles: tuple[str, ...] = ()
    service_kwargs: dict[str, Any] = {}

    def get_form_kwargs(self) -> dict[str, Any]:
        agencies = Agency.objects.live().filter(
            pk__in=Membership.objects.current().filter(person=self.object).values("agency_id")
        )
        # Not all 10,000 people of a partnership: colleagues in the same agencies with the role.
        seniors = (
            Person.objects.filter(
                is_active=True,
                pk__in=RoleAssignment.objects.current()
                .filter(agency__in=agencies, role__in=self.senior_roles)
                .values("person_id"),
            )
            .exclude(pk=self.object.pk)
            .order_by("family_name", "given_name")
        )
        return {
            **super().get_form_kwargs(),
            "senior_label": self.senior_label,
            "agencies": agencies,
            "seniors": seniors,
        }

    def get_initial(self) -> dict[str, Any]:
        return {"starts_on": timezone.localdate()}

    def perform(self, form: Any) -> Any:
        senior, junior = self.roles
        data = form.cleaned_data
        return type(self).start_service(
            actor=self.actor,
            **{senior: data["senior"], junior: self.object},
            agency=data["agency"],
            starts_on=data["starts_on"],
            handover_notes=data["handover_notes"],
            origin=self.origin(),
            **self.service_kwargs,
        )


class SupervisionStartView(_RelationshipStartView):
    start_service = services.supervision_relationship_start
    senior_label = "Safeguarding supervisor"
    roles = ("supervisor", "supervisee")
    senior_roles = (Role.SUPERVISOR, Role.AGENCY_LEAD)
    # A supervisor short of the agency's minimum requirements is refused on the picker's field.
    service_kwargs = {"supervisor_field": "senior"}
    success_message = "Supervision started."

    def get_heading(self) -> str:
        return f"New safeguarding supervisor for {self.object.display_name}"

    def get_form_kwargs(self) -> dict[str, Any]:
        """Each colleague who falls short of an agency's minimum requirements for supervisors
        (with no lead's exception) says so in the list (seed 004; issue 15 item 5)."""
        kwargs = super().get_form_kwargs()
        seniors = list(kwargs["seniors"])
        today = timezone.localdate()
        short: dict[int, list[str]] = {}
        for agency in kwargs["agencies"]:
            found = standards.unexcepted_shortfalls(
                agency_id=agency.pk, person_ids=[p.pk for p in seniors], on=today
            )
            for person_id in found:
                short.setdefault(person_id, []).append(agency.name)
        self.short_of_requirements = short
        return kwargs

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        short = getattr(self, "short_of_requirements", {})
        if short:
            form.fields["senior"].label_from_instance = lambda p: (
                f"{p.display_name} (does not meet the minimum requirements for supervisors in "
                f"{', '.join(short[p.pk])})"
                if p.pk in short
                else p.display_name
            )
        return form


class LineManagementStartView(_RelationshipStartView):
    start_service = services.line_management_start
    senior_label = "Line manager"
    roles = ("manager", "report")
    senior_roles = (Role.LINE_MANAGER, Role.AGENCY_LEAD)
    success_message = "Line management started."

    def get_heading(self) -> str:
        return f"New line manager for {self.object.display_name}"


class RoleAssignView(_PersonPageMixin, ManageFormView):
    model = Person
    form_class = RoleAssignForm
    submit_label = "Assign role"
    success_message = "Role assigned."

    def get_initial(self) -> dict[str, Any]:
        return {"starts_on": timezone.localdate()}

    def get_heading(self) -> str:
        return f"Assign a role to {self.object.display_name}"

    def perform(self, form: Any) -> RoleAssignment:
        return services.role_assign(
            actor=self.actor,
            person=self.object,
            origin=self.origin(),
            **form.cleaned_data,
        )


class TrainingAddView(_PersonPageMixin, ManageFormView):
    model = Person
    form_class = TrainingRecordAddForm
    submit_label = "Add training record"
    success_message = "Training record added."

    def get_heading(self) -> str:
        return f"Add a training record for {self.object.display_name}"

    def perform(self, form: Any) -> TrainingRecord:
        return services.training_record_add(
            actor=self.actor,
            person=self.object,
            origin=self.origin(),
            **form.cleaned_data,
        )


class TrainingArchiveView(_PersonPageMixin, ManageFormView):
    model = TrainingRecord
    form_class = ArchiveForm
    submit_label = "Archive record"
    success_message = "Training record archived."

    def get_queryset(self) -> QuerySet[TrainingRecord]:
        return TrainingRecord.objects.live().select_related("person")

    def get_heading(self) -> str:
        return f"Archive training record: {self.object}"

    def perform(self, form: Any) -> TrainingRecord:
        return services.training_record_archive(
            actor=self.actor,
            record=self.object,
            reason=form.cleaned_data["reason"],
            origin=self.origin(),
        )
