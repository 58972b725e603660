"""People and organisation pages. Thin: access by rules (rules.py), reads by selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from oversight.core.access import AuditedReadMixin, BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.home import (
    collect_panels,
    collect_tasks,
    fold_tasks,
    is_wide_scope,
    shared,
)

from .. import selectors
from ..forms import PeopleSearchForm
from ..models import Agency, Person, Team
from ..rules import Permission

ALERT_ORDER = 10  # panels ordered before this are alerts, above "what needs you today"


def _role_lines(roles: Any) -> list[str]:
    """One line an agency: "Agency safeguarding lead and safeguarding supervisor, <agency>"."""
    by_agency: dict[str, list[str]] = {}
    for role in roles:
        by_agency.setdefault(role.agency.name if role.agency else "", []).append(
            role.get_role_display()
        )
    lines = []
    for agency, names in by_agency.items():
        said = names[0] + "".join(
            (" and " if i == len(names) - 1 else ", ") + n[0].lower() + n[1:]
            for i, n in enumerate(names[1:], start=1)
        )
        lines.append(f"{said}, {agency}" if agency else said)
    return lines


class HomeView(RuleRequiredMixin, TemplateView):
    permission_required = Permission.VIEW_HOME
    template_name = "people/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(selectors.home_summary(self.request.user))
        # Read once for the page and every panel that names them (decision 0024).
        shared(self.request, "led_agencies", lambda: context["led_agencies"])
        shared(self.request, "supervisors", lambda: context["supervisors"])
        shared(self.request, "supervisees", lambda: context["supervisees"])
        shared(self.request, "change_requests", lambda: context["change_requests"])
        panels = collect_panels(self.request, context["profile"])
        # Issue 12 item 1: alerts (urgent requests, disclosures, emails not sent) first, then
        # "what needs you today" from every panel's tasks, then the panels kept on the page.
        shown = [p for p in panels if p.on_home]
        context["alerts"] = [p for p in shown if p.order < ALERT_ORDER]
        context["panels"] = [p for p in shown if p.order >= ALERT_ORDER]
        context["tasks"], context["more_tasks"] = fold_tasks(collect_tasks(panels))
        context["more_due_soon"] = sum(1 for t in context["more_tasks"] if t.is_due_this_week)
        context["kept"] = is_wide_scope(context["profile"])
        context["role_lines"] = _role_lines(context["roles"])
        context["lapsed_supervisees"] = sum(
            1 for _, status in context["supervisee_rows"] if status == "lapsed"
        )
        return context


class PersonListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    permission_required = Permission.LIST_PEOPLE
    template_name = "people/person_list.html"
    context_object_name = "people"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Person]:
        people = selectors.people_visible_to(self.request.user)
        self.search_form = PeopleSearchForm(self.request.GET or None)
        if self.search_form.is_valid() and (q := self.search_form.cleaned_data["q"]):
            for term in q.split():
                people = people.filter(
                    Q(given_name__icontains=term)
                    | Q(family_name__icontains=term)
                    | Q(username__icontains=term)
                    | Q(email__icontains=term)
                )
        return people

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["search_form"] = self.search_form
        return context


class PersonDetailView(RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, DetailView):
    permission_required = Permission.VIEW_PERSON
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset: QuerySet[Person] | None = None) -> Person:
        try:
            return selectors.person_detail(person_id=self.kwargs["pk"])
        except Person.DoesNotExist:
            raise Http404("No such person") from None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.object
        user = self.request.user
        context["training_status"] = selectors.supervisor_training_status(person)
        for r in person.current_supervisees:
            r.can_view_other = user.has_perm(Permission.VIEW_PERSON, r.supervisee)
        for r in person.current_reports:
            r.can_view_other = user.has_perm(Permission.VIEW_PERSON, r.report)
        if user.has_perm(Permission.MANAGE_ORGANISATION):
            context["manage_url"] = reverse("people:manage_person", args=[person.pk])
        if person.pk == user.pk and user.has_perm(Permission.VIEW_OWN_ARRANGEMENTS):
            context["arrangements_url"] = reverse("people:my_arrangements")
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        crumbs: list[tuple[str, str | None]] = [("Home", reverse("home"))]
        if self.request.user.has_perm(Permission.LIST_PEOPLE):
            crumbs.append(("People", reverse("people:person_list")))
        crumbs.append((self.object.display_name, None))
        return crumbs


class AgencyListView(RuleRequiredMixin, ListView):
    permission_required = Permission.LIST_AGENCIES
    template_name = "people/agency_list.html"
    context_object_name = "agencies"

    def get_queryset(self) -> QuerySet[Agency]:
        return selectors.agencies_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [
            (a, user.has_perm(Permission.VIEW_AGENCY, a)) for a in context["agencies"]
        ]
        return context


class AgencyDetailView(RuleRequiredMixin, BreadcrumbsMixin, DetailView):
    permission_required = Permission.VIEW_AGENCY
    template_name = "people/agency_detail.html"
    context_object_name = "agency"

    def get_object(self, queryset: QuerySet[Agency] | None = None) -> Agency:
        return get_object_or_404(selectors.agencies_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["teams"] = [
            (team, user.has_perm(Permission.VIEW_TEAM, team)) for team in self.object.teams.all()
        ]
        if user.has_perm(Permission.MANAGE_ORGANISATION):
            context["manage_url"] = reverse("people:manage_agency_list")
        # Issue 15 items 5, 6 and 9: the lead's pages about this agency's staff.
        agency = self.object
        context["standards_links"] = [
            (label, reverse(name, args=[agency.pk]))
            for label, name, permission in (
                (
                    "Supervisors' minimum requirements and who falls short",
                    "people:supervisor_standards",
                    Permission.VIEW_SUPERVISOR_STANDARDS,
                ),
                (
                    "Safeguarding training by staff group",
                    "people:staff_training",
                    Permission.VIEW_STAFF_TRAINING,
                ),
                (
                    "Requests to change supervision",
                    "people:change_request_list",
                    Permission.LIST_SUPERVISION_CHANGE_REQUESTS,
                ),
            )
            if user.has_perm(permission, agency)
        ]
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Agencies", reverse("people:agency_list")),
            (self.object.name, None),
        ]


class TeamDetailView(RuleRequiredMixin, BreadcrumbsMixin, DetailView):
    permission_required = Permission.VIEW_TEAM
    template_name = "people/team_detail.html"
    context_object_name = "team"

    def get_object(self, queryset: QuerySet[Team] | None = None) -> Team:
        return get_object_or_404(Team.objects.live().select_related("agency"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["members"] = [
            (m, user.has_perm(Permission.VIEW_PERSON, m.person))
            for m in selectors.team_members(self.object)
        ]
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Agencies", reverse("people:agency_list")),
            (
                self.object.agency.name,
                reverse("people:agency_detail", args=[self.object.agency_id]),
            ),
            (self.object.name, None),
        ]
