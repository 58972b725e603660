"""Session pages: my sessions, planning, detail, cancel / reschedule / did not attend,
preparation and the calendar event (issue 3 items 3–4)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, TemplateView

from oversight.children.selectors import caseload_of, child_rows
from oversight.contracts.models import SessionType
from oversight.core.access import AuditedReadMixin, BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.overdue import mark_overdue
from oversight.core.views import ServiceFormView, StaleEditRecoveryMixin
from oversight.people.models import Membership, Person, SupervisionRelationship
from oversight.people.selectors import access_profile

from .. import selectors, services
from ..calendar import session_ics
from ..forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    AgendaItemRemoveForm,
    CancelForm,
    ChildrenForm,
    DidNotAttendForm,
    RescheduleForm,
    SessionPlanForm,
    SessionTypeForm,
)
from ..models import GROUP_TYPES, AgendaItem
from ..rules import Permission, mark_viewer_roles
from .base import SessionMixin, origin
from .reflection import reflection_links


class SessionListView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    permission_required = Permission.LIST_SESSIONS
    template_name = "supervision/session_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        day = timezone.localdate()
        context["upcoming"], context["past"] = selectors.sessions_listed(
            user, now=timezone.now(), past_shown=50
        )
        # Each record answers "overdue" for today; the tag shows the answer.
        mark_overdue(
            (getattr(s, "record", None) for s in context["upcoming"] + context["past"]), day
        )
        context["awaiting"] = mark_overdue(
            selectors.records_awaiting_signature_rows(person_id=user.pk), day
        )
        sessions = context["upcoming"] + context["past"]
        mark_viewer_roles([*sessions, *(r.session for r in context["awaiting"])], user)
        context["can_plan"] = user.has_perm(Permission.PLAN_SESSION)
        context["reflection_links"] = reflection_links(user, day=day)
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), ("Supervision", None)]


class SessionPlanView(ServiceFormView):
    permission_required = Permission.PLAN_SESSION
    template_name = "supervision/session_plan.html"
    form_class = SessionPlanForm
    success_message = "Session planned."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        profile = access_profile(self.request.user)
        kwargs["supervisees"] = Person.objects.filter(pk__in=profile.supervisee_ids).order_by(
            "family_name", "given_name"
        )
        kwargs["colleagues"] = (
            Person.objects.filter(
                pk__in=Membership.objects.current()
                .filter(agency_id__in=profile.member_agency_ids)
                .values("person_id")
            )
            .exclude(pk=profile.person_id or 0)
            # The supervisor's own supervisees first, then everyone else in their agencies.
            .annotate(
                theirs=Case(
                    When(pk__in=profile.supervisee_ids, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("theirs", "family_name", "given_name")
        )
        return kwargs

    def chosen_type(self) -> str | None:
        """The kind of session asked first (issue 12 item 4: the form asks only what the kind
        needs). The next session agreed in a record is a planned 1:1."""
        chosen = self.request.GET.get("type", "")
        if chosen in SessionType.values:
            return chosen
        if self.request.GET.get("supervisee"):
            return SessionType.ONE_TO_ONE
        return None

    def carried(self) -> dict[str, str]:
        """What the first question passes on to the form: a date agreed in a record."""
        day = self.request.GET.get("date")
        return {"date": day} if day else {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.chosen_type() is None:
            type_form = SessionTypeForm(request.GET if "type" in request.GET else None)
            if "type" in request.GET:
                type_form.is_valid()
            return self.render_to_response(
                self.get_context_data(
                    type_form=type_form, carried=list(self.carried().items()), form=type_form
                )
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = urlencode(self.carried())
        context["change_type_url"] = f"{reverse('supervision:session_plan')}?{query}"
        return context

    def get_initial(self) -> dict[str, Any]:
        """Defaults, or the next session agreed in a record: ?supervisee=<id>&date=<iso>; the
        duration comes from the supervisee's contract when there is one."""
        initial: dict[str, Any] = {
            "session_type": self.chosen_type() or SessionType.ONE_TO_ONE,
            "date": timezone.localdate() + dt.timedelta(days=7),
            "start_time": dt.time(10, 0),
            "duration_minutes": 60,
        }
        profile = access_profile(self.request.user)
        try:
            supervisee_id = int(self.request.GET.get("supervisee", ""))
        except ValueError:
            supervisee_id = 0
        if supervisee_id in profile.supervisee_ids:
            initial["supervisee"] = supervisee_id
            contract = services.sessions.contract_for(
                supervisee_id=supervisee_id, on=timezone.localdate()
            )
            if getattr(contract, "session_duration_minutes", None):
                initial["duration_minutes"] = contract.session_duration_minutes
        with contextlib.suppress(ValueError):
            initial["date"] = dt.date.fromisoformat(self.request.GET.get("date", ""))
        return initial

    def _agency(self, data: dict[str, Any]) -> Any:
        user = self.request.user
        if data["session_type"] not in GROUP_TYPES and data.get("supervisee"):
            relationship = (
                SupervisionRelationship.objects.current()
                .filter(supervisor=user, supervisee=data["supervisee"])
                .select_related("agency")
                .first()
            )
            if relationship is not None:
                return relationship.agency
        membership = (
            Membership.objects.current().filter(person=user).select_related("agency").first()
        )
        return membership.agency if membership else None

    def form_valid(self, form: SessionPlanForm) -> HttpResponse:
        """Warn about a clash with another session for either person; the planner may
        confirm past it (issue 12 item 4)."""
        data = form.cleaned_data
        clashes = selectors.sessions_clashing(
            people=[self.request.user, data.get("supervisee")],
            start=data["planned_start"],
            minutes=data["duration_minutes"],
            submission_token=data["submission_token"],
        )
        if clashes and not data.get("clash_confirmed"):
            form.ask_to_confirm_clash()
            return self.render_to_response(self.get_context_data(form=form, clashes=clashes))
        return super().form_valid(form)

    def perform(self, form: SessionPlanForm) -> Any:
        data = form.cleaned_data
        agency = self._agency(data)
        if agency is None:
            raise ValidationError("You have no current post in an agency to plan a session in.")
        return services.session_plan(
            actor=self.actor,
            session_type=data["session_type"],
            supervisor=self.actor,
            supervisee=data.get("supervisee"),
            attendees=data.get("attendees") or [],
            invite_emails=data.get("invite_emails") or [],
            agency=agency,
            planned_start=data["planned_start"],
            duration_minutes=data["duration_minutes"],
            location=data.get("location", ""),
            video_link=data.get("video_link", ""),
            title=data.get("title", ""),
            learning_review=data.get("learning_review", ""),
            submission_token=data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("supervision:session_detail", args=[self.result.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Supervision", reverse("supervision:session_list")),
            ("Plan a session", None),
        ]


class SessionDetailView(SessionMixin, AuditedReadMixin, DetailView):
    permission_required = Permission.VIEW_SESSION
    template_name = "supervision/session_detail.html"
    context_object_name = "session"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        session = self.object
        context["can"] = {
            "prepare": user.has_perm(Permission.PREPARE_SESSION, session),
            "change": user.has_perm(Permission.CHANGE_SESSION, session),
            "dna": user.has_perm(Permission.MARK_DID_NOT_ATTEND, session),
            "record": user.has_perm(Permission.VIEW_RECORD, session),
            "ics": user.has_perm(Permission.DOWNLOAD_ICS, session),
            "write_record": user.has_perm(Permission.SAVE_RECORD, session)
            and timezone.localdate(session.planned_start) <= timezone.localdate(),
            # Issue 15 item 7: the supervisee's draft, where the agency's policy allows it.
            "draft_record": user.has_perm(Permission.DRAFT_RECORD, session),
            "read_draft": user.has_perm(Permission.VIEW_SUPERVISEE_DRAFT, session),
        }
        context["has_record"] = _has_record(session)
        context["rescheduled_to"] = (
            getattr(session, "rescheduled_to", None) if _has(session, "rescheduled_to") else None
        )
        return context


def _has(obj: Any, name: str) -> bool:
    try:
        getattr(obj, name)
    except Exception:  # a missing reverse one-to-one raises RelatedObjectDoesNotExist
        return False
    return True


def _has_record(session: Any) -> bool:
    return _has(session, "record")


class _SessionFormView(SessionMixin, ServiceFormView):
    """Core's ServiceFormView on the session pages' template."""

    template_name = "supervision/form_page.html"
    button = "Continue"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(button=self.button)
        return context

    def get_success_url(self) -> str:
        return reverse("supervision:session_detail", args=[self.session.pk])


class SessionCancelView(_SessionFormView):
    permission_required = Permission.CHANGE_SESSION
    form_class = CancelForm
    page_title = "Cancel the session"
    button = "Cancel the session"
    success_message = "Session cancelled."

    def perform(self, form: CancelForm) -> Any:
        return services.session_cancel(
            actor=self.request.user,
            session=self.session,
            reason=form.cleaned_data["reason"],
            notice_given=form.cleaned_data["notice_given"],
            origin=origin(self.request),
        )


class SessionRescheduleView(_SessionFormView):
    permission_required = Permission.CHANGE_SESSION
    form_class = RescheduleForm
    page_title = "Move the session"
    button = "Move the session"
    success_message = "Session moved. The agenda and children chosen have moved with it."

    def perform(self, form: RescheduleForm) -> Any:
        return services.session_reschedule(
            actor=self.request.user,
            session=self.session,
            planned_start=form.cleaned_data["planned_start"],
            reason=form.cleaned_data["reason"],
            notice_given=form.cleaned_data["notice_given"],
            origin=origin(self.request),
        )

    def get_success_url(self) -> str:
        return reverse("supervision:session_detail", args=[self.result.pk])


class SessionDidNotAttendView(_SessionFormView):
    permission_required = Permission.MARK_DID_NOT_ATTEND
    form_class = DidNotAttendForm
    page_title = "Record that the session was missed"
    button = "Record as did not attend"
    success_message = "Recorded as did not attend."

    def perform(self, form: DidNotAttendForm) -> Any:
        return services.session_mark_did_not_attend(
            actor=self.request.user,
            session=self.session,
            reason=form.cleaned_data["reason"],
            origin=origin(self.request),
        )


class SessionPrepareView(StaleEditRecoveryMixin, SessionMixin, TemplateView):
    """Preparation (issue 3 item 4): agenda items, children to bring, open actions."""

    permission_required = Permission.PREPARE_SESSION
    template_name = "supervision/session_prepare.html"
    page_title = "Prepare"

    def _forms(self, data: Any = None, which: str = "") -> dict[str, Any]:
        session = self.session
        children = selectors.children_for_session(session)
        chosen = [c.child_id for c in session.chosen_children.all()]
        return {
            "agenda_form": AgendaItemForm(data if which == "agenda" else None, prefix="agenda"),
            "children_form": ChildrenForm(
                data if which == "children" else None,
                prefix="children",
                children=children,
                initial={"children": chosen},
            ),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("forms", self._forms())
        day = timezone.localdate()
        context["open_actions"] = mark_overdue(selectors.open_actions_before(self.session), day)
        user = self.request.user
        items = list(self.session.agenda_items.all())
        for item in items:
            item.changeable = user.has_perm(Permission.CHANGE_AGENDA_ITEM, item)
        context["agenda_items"] = items
        # Issue 12 item 4: each chosen child as the children app's cadence answers for today.
        chosen = [c.child_id for c in self.session.chosen_children.all()]
        rows = child_rows(
            selectors.children_for_session(self.session).filter(pk__in=chosen), today=day
        )
        context["chosen_rows"] = sorted(rows, key=lambda r: r.child.display_name)
        # Issue 15 item 4: workload is prepared for with the caseload in view (seed 001).
        supervisee_id = self.session.supervisee_id
        context["caseload"] = caseload_of(supervisee_id) if supervisee_id else None
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        which = request.POST.get("form", "")
        forms = self._forms(request.POST, which)
        form = forms.get(f"{which}_form")
        if form is not None and form.is_valid():
            if which == "agenda":
                done = "Agenda item added."
                saved = self.attempt(
                    form,
                    lambda: services.agenda_item_add(
                        actor=self.request.user,
                        session=self.session,
                        text=form.cleaned_data["text"],
                        submission_token=form.cleaned_data["submission_token"],
                        origin=origin(request),
                    ),
                )
            else:
                done = "Children to bring saved."
                saved = self.attempt(
                    form,
                    lambda: services.session_children_choose(
                        actor=self.request.user,
                        session=self.session,
                        children=form.cleaned_data["children"],
                        origin=origin(request),
                    ),
                )
            if saved:
                messages.success(request, done)
                return HttpResponseRedirect(
                    reverse("supervision:session_prepare", args=[self.session.pk])
                )
        context = self.get_context_data(forms=forms)
        context["form"] = form
        return self.render_to_response(context)


class _AgendaItemFormView(_SessionFormView):
    """A page about one agenda item: the rule is checked against the item."""

    permission_required = Permission.CHANGE_AGENDA_ITEM

    def get_object(self, queryset: Any = None) -> AgendaItem:  # type: ignore[override]
        try:
            return (
                AgendaItem.objects.live()
                .select_related("session", "session__supervisor", "session__supervisee")
                .get(pk=self.kwargs["item_id"], session_id=self.kwargs["pk"])
            )
        except AgendaItem.DoesNotExist:
            raise Http404("No such agenda item") from None

    @property
    def item(self) -> AgendaItem:
        return self.get_permission_object()

    @property
    def session(self) -> Any:
        return self.item.session

    def stale_current(self, form: Any) -> AgendaItem | None:
        return AgendaItem.objects.filter(pk=self.item.pk).first()

    def get_success_url(self) -> str:
        return reverse("supervision:session_prepare", args=[self.session.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["back_url"] = self.get_success_url()
        return context


class AgendaItemEditView(_AgendaItemFormView):
    form_class = AgendaItemEditForm
    page_title = "Change an agenda item"
    button = "Save the agenda item"
    success_message = "Agenda item changed."

    def get_initial(self) -> dict[str, Any]:
        return {"text": self.item.text, "version": self.item.version}

    def perform(self, form: AgendaItemEditForm) -> Any:
        return services.agenda_item_update(
            actor=self.actor,
            item=self.item,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
            origin=self.origin(),
        )


class AgendaItemRemoveView(_AgendaItemFormView):
    form_class = AgendaItemRemoveForm
    page_title = "Remove an agenda item"
    button = "Remove it from the agenda"
    success_message = "Agenda item removed."

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.item.version}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = f"Remove “{self.item.text}” from the agenda?"
        return context

    def perform(self, form: AgendaItemRemoveForm) -> Any:
        return services.agenda_item_remove(
            actor=self.actor,
            item=self.item,
            expected_version=form.cleaned_data["version"],
            origin=self.origin(),
        )


class SessionIcsView(SessionMixin, View):
    permission_required = Permission.DOWNLOAD_ICS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.session
        response = HttpResponse(
            session_ics([session], request=request), content_type="text/calendar"
        )
        response["Content-Disposition"] = f'attachment; filename="supervision-{session.pk}.ics"'
        return response
