"""The child register pages: my children with their next discussion due, a child's page with
its status, allocation and review-meeting history, the RAG timeline, drift flags, and the
agency's drift settings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from oversight.core.access import AuditedReadMixin, BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.home import is_wide_scope, kept_for_wide_scope
from oversight.core.services import RequestOrigin
from oversight.core.views import ScopeChooserView
from oversight.people.models import Agency
from oversight.people.selectors import access_profile

from .. import selectors, services
from ..forms import (
    AcknowledgeFlagForm,
    AllocationForm,
    ChildCreateForm,
    ChildDetailsForm,
    ChildListFilterForm,
    DriftSettingsForm,
    ReviewMeetingForm,
    StatusChangeForm,
)
from ..models import CADENCE_STATUSES, Child, DriftFlag, LegalStatus
from ..rules import Permission
from ..selectors.paged import ChildListOrder
from ..timeline import timeline_for
from .base import (
    ChildrenFormView,
    allocatable_people,
    children_crumb,
    home_crumb,
    staff_agencies,
    today,
)


@dataclass
class KeptChildList:
    """What a wide view's children list keeps for a few minutes per search, in one cache
    entry (each entry of the database cache costs its own reads and writes): the children's
    order and counts, the involvements' order and the decisions waiting for the file."""

    order: ChildListOrder
    involvements: list[int]
    decisions_count: int


class ChildListView(RuleRequiredMixin, TemplateView):
    permission_required = Permission.LIST_CHILDREN
    template_name = "children/child_list.html"
    paginate_by = 50
    involvements_per_page = 25

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = today()
        form = ChildListFilterForm(self.request.GET or None)
        choices = form.cleaned_data if form.is_valid() else {}
        visible = selectors.children_visible_to(self.request.user)
        matching = selectors.children_matching(
            visible, text=choices.get("q", ""), legal_status=choices.get("legal_status", "")
        )
        show = choices.get("show", "")
        number = self.request.GET.get("page")
        profile = access_profile(self.request.user)
        kept = is_wide_scope(profile)
        # The rules of every agency holding a child in view, read once (compiled once).
        rules = selectors.agency_rules_in_view(profile, on=day)
        held: KeptChildList | None = None
        if kept:
            # A lead's thousands of children: their order and counts are kept a few minutes
            # for each search, so turning a page reads only its children (issue 17 item 3),
            # with the involvements' order and the decisions count, in one cache entry.
            search = "|".join(str(choices.get(name, "")) for name in ("q", "legal_status", "show"))
            user = self.request.user
            held = kept_for_wide_scope(
                profile,
                f"child-list-page:{hashlib.sha256(search.encode()).hexdigest()[:16]}",
                day,
                lambda: KeptChildList(
                    order=selectors.child_list_order(matching, today=day, show=show, rules=rules),
                    involvements=selectors.involvement_order(user, on=day),
                    decisions_count=self.decisions_count(visible, day),
                ),
            )
            listed = selectors.child_list_page_of(
                held.order, today=day, page=number, per_page=self.paginate_by, rules=rules
            )
        else:
            # Counted, filtered, sorted and paged in the database (issue 17 item 3).
            listed = selectors.child_list_page(
                matching,
                today=day,
                show=show,
                page=number,
                per_page=self.paginate_by,
                rules=rules,
            )
        page = listed.page
        context.update(
            kept=kept,
            form=form,
            filtered=any(choices.values()),
            clearable=any(self.request.GET.get(name) for name in form.fields),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            paginator=page.paginator,
            rows=listed.rows,
            overdue_count=listed.counts.overdue,
            due_soon_count=listed.counts.due_soon,
            before_review_count=listed.counts.before_review,
            flagged_count=listed.counts.drifting,
            today=day,
            decisions_count=(
                held.decisions_count if held is not None else self.decisions_count(visible, day)
            ),
            can_add=self.request.user.has_perm(Permission.ADD_CHILD),
            can_settings=self.request.user.has_perm(Permission.CHOOSE_SETTINGS_AGENCY),
            can_add_involvement=self.request.user.has_perm(Permission.ADD_INVOLVEMENT),
            involvements=self.involvements(day, held.involvements if held is not None else None),
        )
        return context

    def decisions_count(self, visible: Any, day: Any) -> int:
        """How many decisions wait for the child's file (a wide view keeps it)."""
        return selectors.decisions_waiting_for_file(visible, today=day).count()

    def involvements(self, day: Any, order: list[int] | None) -> selectors.InvolvementPage:
        """Paged on its own (``ipage``), leaving the list's search and page as they are: a
        lead's agency is involved with thousands of children (issue 17). A wide view passes
        their kept ``order`` and reads only the page's."""
        user, page = self.request.user, self.request.GET.get("ipage")
        if order is not None:
            listed = selectors.involvement_page_of(
                user, order, on=day, page=page, per_page=self.involvements_per_page
            )
        else:
            listed = selectors.involvement_page(
                user, on=day, page=page, per_page=self.involvements_per_page
            )
        for involvement in listed.rows:
            involvement.can_end = self.request.user.has_perm(
                Permission.END_INVOLVEMENT, involvement
            )
        return listed


class ChildCreateView(ChildrenFormView):
    permission_required = Permission.ADD_CHILD
    form_class = ChildCreateForm
    heading = "Add a child"
    submit_label = "Add child"
    success_message = "Child added to the register."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(
            agencies=staff_agencies(self.request.user),
            practitioners=allocatable_people(self.request.user),
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        agencies = list(staff_agencies(self.request.user)[:2])
        initial: dict[str, Any] = {
            "status_since": today(),
            "allocated_practitioner": self.request.user.pk,
        }
        if len(agencies) == 1:
            initial["agency"] = agencies[0].pk
        return initial

    def perform(self, form: ChildCreateForm) -> Child:
        data = form.cleaned_data
        return services.child_create(
            actor=self.request.user,
            agency=data["agency"],
            case_reference=data["case_reference"],
            display_name=data["display_name"],
            date_of_birth=data["date_of_birth"],
            legal_status=data["legal_status"],
            status_since=data["status_since"],
            allocated_practitioner=data["allocated_practitioner"],
            agencies_involved=data["agencies_involved"],
            nhs_number=data.get("nhs_number", ""),
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("children:child_detail", args=[self.result.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), children_crumb(), ("Add a child", None)]


class ChildMixin:
    """Views about one child: loads it once for the rule and the page."""

    kwargs: dict[str, Any]
    object: Any = None

    def get_object(self) -> Child:
        return get_object_or_404(
            Child.objects.live().select_related("agency"), pk=self.kwargs["pk"]
        )

    def child_crumbs(self, last: str) -> list[tuple[str, str | None]]:
        child = self.object
        return [
            home_crumb(),
            children_crumb(),
            (child.display_name, reverse("children:child_detail", args=[child.pk])),
            (last, None),
        ]

    def get_success_url(self) -> str:
        return reverse("children:child_detail", args=[self.object.pk])


class ChildDetailView(RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, DetailView):
    """The child's page. The agency holding the child on its register sees the whole page;
    every involved agency's leads, allocated worker and the worker's supervisor and line
    manager see the multi-agency summary (issue 13 item 2), and another agency's people see
    only that. Each view is audited, saying whether the summary was shown."""

    permission_required = Permission.VIEW_CHILD_SUMMARY
    context_object_name = "child"

    def get_object(self, queryset: Any = None) -> Child:
        if getattr(self, "object", None) is not None:
            return self.object  # loaded once for the rule
        try:
            return selectors.child_detail(child_id=self.kwargs["pk"], live=True, cadence_on=today())
        except Child.DoesNotExist:
            raise Http404("No such child") from None

    @property
    def full_view(self) -> bool:
        return bool(self.request.user.has_perm(Permission.VIEW_CHILD, self.object))

    def get_template_names(self) -> list[str]:
        if self.full_view:
            return ["children/child_detail.html"]
        return ["children/child_summary.html"]

    def get_audit_detail(self) -> dict[str, Any] | None:
        summary = getattr(self, "summary", None)
        if summary is None or summary.agency_count < 2:
            return None
        return {"multi_agency_summary": True, "agencies": summary.agency_count}

    def summary_context(self, day: Any) -> dict[str, Any]:
        profile = access_profile(self.request.user)
        self.summary = selectors.multi_agency_summary(
            self.object, today=day, viewer_agency_ids=set(profile.member_agency_ids)
        )
        return {
            "summary": self.summary,
            "can_contribute": self.request.user.has_perm(Permission.CONTRIBUTE_PLAN, self.object),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = today()
        context.update(self.summary_context(day), today=day)
        if not self.full_view:
            return context
        child = self.object
        user = self.request.user
        flags = child.flags
        cadence = selectors.child_cadence(child, today=day)
        context.update(
            today=day,
            cadence=cadence,
            overdue=cadence.is_overdue(day),
            discuss_before_review=cadence.discuss_before_review(day),
            in_cadence=child.legal_status in CADENCE_STATUSES,
            open_flags=[f for f in flags if f.is_open],
            closed_flags=[f for f in flags if not f.is_open],
            can_change=user.has_perm(Permission.CHANGE_CHILD, child),
            can_acknowledge=bool(flags) and user.has_perm(Permission.ACKNOWLEDGE_FLAG, flags[0]),
            decisions=list(
                selectors.decisions_waiting_for_file(Child.objects.filter(pk=child.pk), today=day)
            ),
            other_involvements=[
                i for i in child.involvement_history if i.agency_id != child.agency_id
            ],
            upcoming_meetings=[m for m in child.meetings if m.meets_on >= day],
            past_meetings=[m for m in child.meetings if m.meets_on < day][::-1],
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), children_crumb(), (self.object.display_name, None)]


class ChildTimelineView(RuleRequiredMixin, AuditedReadMixin, BreadcrumbsMixin, DetailView):
    """The child's RAG ratings across discussions as a table and a drawn timeline."""

    permission_required = Permission.VIEW_CHILD
    template_name = "children/child_timeline.html"
    context_object_name = "child"

    def get_object(self, queryset: Any = None) -> Child:
        try:
            return selectors.child_for_timeline(child_id=self.kwargs["pk"])
        except Child.DoesNotExist:
            raise Http404("No such child") from None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ratings = selectors.rag_history(self.object.pk)
        context["timeline"] = timeline_for(
            ratings=ratings,
            statuses=self.object.statuses,
            meetings=self.object.meetings,
            flags=self.object.flags,
            today=today(),
        )
        context["can_escalate"] = self.request.user.has_perm(Permission.RAISE_ESCALATION)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            home_crumb(),
            children_crumb(),
            (self.object.display_name, reverse("children:child_detail", args=[self.object.pk])),
            ("RAG timeline", None),
        ]


class ChildEditView(ChildMixin, ChildrenFormView):
    permission_required = Permission.CHANGE_CHILD
    form_class = ChildDetailsForm
    heading = "Change the child's details"
    success_message = "Details saved."

    def get_initial(self) -> dict[str, Any]:
        child = self.object
        return {
            "case_reference": child.case_reference,
            "display_name": child.display_name,
            "date_of_birth": child.date_of_birth,
            "nhs_number": child.nhs_number,
            "agencies_involved": list(child.agencies_involved.all()),
            "version": child.version,
        }

    def perform(self, form: ChildDetailsForm) -> Child:
        data = form.cleaned_data
        return services.child_update(
            child=self.object,
            actor=self.request.user,
            expected_version=data.get("version"),
            case_reference=data["case_reference"],
            display_name=data["display_name"],
            date_of_birth=data["date_of_birth"],
            agencies_involved=data["agencies_involved"],
            nhs_number=data.get("nhs_number", ""),
            origin=self.origin(),
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.child_crumbs("Change details")


class ChildStatusView(ChildMixin, ChildrenFormView):
    permission_required = Permission.CHANGE_CHILD
    form_class = StatusChangeForm
    heading = "Change the legal status"
    intro = (
        "The current status ends the day before the new one starts. The time to the next "
        "discussion is counted again from the new status."
    )
    success_message = "Legal status changed."

    def get_initial(self) -> dict[str, Any]:
        return {"starts_on": today()}

    def perform(self, form: StatusChangeForm) -> Any:
        return services.child_status_change(
            child=self.object,
            actor=self.request.user,
            status=form.cleaned_data["status"],
            starts_on=form.cleaned_data["starts_on"],
            origin=self.origin(),
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.child_crumbs("Change legal status")


class ChildAllocateView(ChildMixin, ChildrenFormView):
    permission_required = Permission.CHANGE_CHILD
    form_class = AllocationForm
    heading = "Allocate the child"
    success_message = "Allocation saved."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["practitioners"] = (
            allocatable_people(self.request.user)
            .filter(memberships__agency_id=self.object.agency_id)
            .distinct()
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"starts_on": today()}

    def perform(self, form: AllocationForm) -> Any:
        data = form.cleaned_data
        return services.child_allocate(
            child=self.object,
            actor=self.request.user,
            practitioner=data["practitioner"],
            starts_on=data["starts_on"],
            reason=data["reason"],
            origin=self.origin(),
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.child_crumbs("Allocate")


class ReviewMeetingAddView(ChildMixin, ChildrenFormView):
    permission_required = Permission.CHANGE_CHILD
    form_class = ReviewMeetingForm
    heading = "Add a review meeting"
    intro = "The child is due to be discussed in supervision before each review meeting."
    success_message = "Review meeting added."

    def perform(self, form: ReviewMeetingForm) -> Any:
        data = form.cleaned_data
        return services.review_meeting_add(
            child=self.object,
            actor=self.request.user,
            kind=data["kind"],
            meets_on=data["meets_on"],
            notes=data["notes"],
            agencies_expected=data.get("agencies_expected") or [],
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.child_crumbs("Add a review meeting")


class DriftAcknowledgeView(ChildrenFormView):
    permission_required = Permission.ACKNOWLEDGE_FLAG
    form_class = AcknowledgeFlagForm
    template_name = "children/flag_acknowledge.html"
    heading = "Acknowledge drift"
    submit_label = "Acknowledge with this decision"
    success_message = "Drift acknowledged."
    object: Any = None

    def get_object(self) -> DriftFlag:
        return get_object_or_404(
            DriftFlag.objects.live().select_related("child"),
            pk=self.kwargs["pk"],
            acknowledged_at__isnull=True,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["flag"] = self.object
        return context

    def perform(self, form: AcknowledgeFlagForm) -> Any:
        return services.drift_flag_acknowledge(
            flag=self.object,
            actor=self.request.user,
            decision=form.cleaned_data["decision"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("children:child_detail", args=[self.object.child_id])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        child = self.object.child
        return [
            home_crumb(),
            children_crumb(),
            (child.display_name, reverse("children:child_detail", args=[child.pk])),
            ("Acknowledge drift", None),
        ]


class ChildCountsView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """Counts only: the partnership auditor sees every agency, a lead their own."""

    permission_required = Permission.VIEW_COUNTS
    template_name = "children/counts.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        profile = access_profile(self.request.user)
        agency_ids = (
            set(Agency.objects.live().values_list("pk", flat=True))
            if profile.is_partnership_auditor
            else set(profile.led_agency_ids)
        )
        day = today()
        counts = selectors.children_counts_by_status(agency_ids=agency_ids)
        context.update(
            status_rows=[(label, counts.get(value, 0)) for value, label in LegalStatus.choices],
            total=sum(counts.values()),
            cadence=selectors.cadence_figures(agency_ids=agency_ids, on=day),
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), ("Children: figures", None)]


class DriftSettingsChooserView(ScopeChooserView):
    """The settings link without an agency: straight to the lead's agency, or, for a lead of
    several, a list of them (decision 0002)."""

    permission_required = Permission.CHOOSE_SETTINGS_AGENCY
    heading = "Drift and escalation settings"
    intro = "You lead more than one agency. Choose the agency whose settings you want to change."

    def get_choices(self) -> list[tuple[str, str]]:
        return [
            (agency.name, reverse("children:agency_settings", args=[agency.pk]))
            for agency in Agency.objects.live()
            .filter(pk__in=access_profile(self.request.user).led_agency_ids)
            .order_by("name")
        ]

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [home_crumb(), children_crumb(), ("Settings", None)]


class DriftSettingsView(ChildrenFormView):
    """The agency lead sets the drift rules, thresholds and windows for the agency in the URL
    (the rule is checked against that agency)."""

    permission_required = Permission.CHANGE_SETTINGS
    form_class = DriftSettingsForm
    template_name = "children/form.html"
    heading = "Drift and escalation settings"
    intro = (
        "These apply to every child the agency owns. A child is flagged for drift when any "
        "rule that is on is met; a flag stays until someone acknowledges it with a decision."
    )
    success_message = "Settings saved."
    object: Agency | None = None

    def get_object(self) -> Agency:
        return get_object_or_404(Agency.objects.live(), pk=self.kwargs["agency_id"])

    @property
    def agency(self) -> Agency:
        assert self.object is not None
        return self.object

    def get_initial(self) -> dict[str, Any]:
        current = selectors.drift_settings_for(self.agency.pk)
        if current is None:
            return {}
        initial = {name: getattr(current, name) for name in DriftSettingsForm.SETTING_FIELDS}
        initial["version"] = current.version if current.pk else None
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["heading"] = f"Drift and escalation settings: {self.agency}"
        return context

    def perform(self, form: DriftSettingsForm) -> Any:
        values = {name: form.cleaned_data[name] for name in DriftSettingsForm.SETTING_FIELDS}
        return services.drift_settings_update(
            agency=self.agency,
            actor=self.request.user,
            values=values,
            expected_version=form.cleaned_data.get("version"),
            origin=RequestOrigin.from_request(self.request),
        )

    def stale_current(self, form: DriftSettingsForm) -> Any:
        found = selectors.drift_settings_for(self.agency.pk)
        return found if found is not None and found.pk else None

    def get_success_url(self) -> str:
        return reverse("children:agency_settings", args=[self.agency.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            home_crumb(),
            children_crumb(),
            ("Settings", reverse("children:settings")),
            (self.agency.name, None),
        ]
