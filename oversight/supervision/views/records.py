"""The record page (seed 004 Appendix III) and everything written from it: case discussions,
actions, attendance, sign-off, addenda and the signed PDF (issue 3 items 5, 7, 8, 9)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from oversight.children.models import Child
from oversight.children.selectors import caseload_of
from oversight.core.models import AuditAction
from oversight.core.overdue import mark_overdue
from oversight.core.services import audit_event_record
from oversight.core.views import ServiceFormView, StaleEditRecoveryMixin
from oversight.people.models import Person

from .. import selectors, services
from ..checks import record_check
from ..forms import (
    ActionForm,
    AddendumForm,
    AttendanceForm,
    CaseDiscussionForm,
    RecordForm,
    SignCheckForm,
    SuperviseeSignForm,
)
from ..models import (
    PROCESS_REVIEW_FIELDS,
    CaseDiscussion,
    DecisionKind,
    Session,
    SessionRecord,
)
from ..pdf import record_pdf, record_pdf_filename
from ..prompts import CYCLE, TOOLS, Tool
from ..reflection import default_tool
from ..rules import Permission
from ..services.records import RECORD_FIELDS
from ..signed import as_signed
from .base import RecordMixin, SessionMixin, origin
from .sessions import _has_record


def _participants(session: Session) -> list[Person]:
    """Whoever may own an action: the people the session names, read with it (its supervisor,
    supervisee and attendees)."""
    people = {
        p.pk: p
        for p in [
            session.supervisor,
            session.supervisee,
            *(a.person for a in session.attendances.all()),
        ]
        if p is not None
    }
    return sorted(people.values(), key=lambda p: (p.family_name, p.given_name, p.pk))


def _action_children(session: Session, record: SessionRecord | None) -> Any:
    ids = (
        [session.supervisee_id]
        if session.supervisee_id
        else [a.person_id for a in session.attendances.all()]
    )
    scope = Q(allocated_practitioner_id__in=ids)
    if record is not None:
        scope |= Q(case_discussions__record=record)
    return Child.objects.live().filter(agency_id=session.agency_id).filter(scope).distinct()


def _record_form_initial(session: Session, record: SessionRecord | None) -> dict[str, Any]:
    if record is not None:
        initial = {name: getattr(record, name) for name in RECORD_FIELDS}
        initial.update(held_on=session.held_on, version=record.version)
        for follow_up in record.action_follow_ups.all():
            key = f"followup_{follow_up.action_id}"
            initial.update(
                {
                    key: follow_up.outcome,
                    f"{key}_note": follow_up.note,
                    f"{key}_due": follow_up.new_due_on,
                }
            )
        return initial
    today = timezone.localdate()
    held_on = min(timezone.localdate(session.planned_start), today)
    initial = {
        "held_on": held_on,
        "last_session_on": selectors.previous_held_on(session),
        "agenda_notes": "\n".join(item.text for item in session.agenda_items.all()),
    }
    if session.supervisee is not None:
        initial["next_session_on"] = services.next_session_proposal(
            supervisee=session.supervisee, agency=session.agency, after=held_on
        )
    return initial


class RecordPageMixin(SessionMixin):
    """Builds the record page: the same context for reading it and for a refused save."""

    page_title = "Record"

    def record_context(
        self,
        *,
        record_form: RecordForm | None = None,
        action_form: ActionForm | None = None,
        sign_form: SuperviseeSignForm | None = None,
    ) -> dict[str, Any]:
        session = self.session
        user = self.request.user
        wellbeing = user.has_perm(Permission.VIEW_WELLBEING, session)
        record = (
            selectors.record_for(session_id=session.pk, with_wellbeing=wellbeing, session=session)
            if _has_record(session)
            else None
        )
        day = timezone.localdate()
        earlier = mark_overdue(selectors.open_actions_before(session), day)
        can_edit = user.has_perm(Permission.SAVE_RECORD, session)
        if can_edit and record_form is None:
            record_form = RecordForm(
                initial=_record_form_initial(session, record),
                earlier_actions=earlier,
                wellbeing=wellbeing,
            )
        if can_edit and record is not None and action_form is None:
            action_form = ActionForm(
                people=_participants(session),
                children=_action_children(session, record),
                prefix="action",
                initial={"owner": session.supervisee_id},
            )
        follow_ups = {f.action_id: f for f in record.action_follow_ups.all()} if record else {}
        # The live rows answer "overdue" and "may confirm" for today; a signed record's page
        # reads both through to them (signed.Signed).
        for discussion in record.case_discussions.all() if record else []:
            for decision in mark_overdue(discussion.decisions.all(), day):
                decision.child = discussion.child
                decision.confirmable = decision.recorded_on_file_at is None and user.has_perm(
                    Permission.CONFIRM_DECISION_ON_FILE, decision
                )
        if record is not None:
            mark_overdue(record.actions.all(), day)
            mark_overdue([record], day)
        # Once fully signed the page shows what was signed (issue 10 item 4).
        shown, shown_session = (
            as_signed(record, wellbeing=wellbeing) if record is not None else (None, session)
        )
        context: dict[str, Any] = {
            "session": shown_session,
            "record": shown,
            "show_wellbeing": wellbeing and not session.is_group,
            "earlier_actions": [(a, follow_ups.get(a.pk)) for a in earlier],
            "record_form": record_form,
            "form": record_form,
            "action_form": action_form,
            "cycle": CYCLE,
            "can_edit": can_edit,
            # Issue 15 item 4: workload is discussed with the supervisee's caseload in view
            # (seed 001: shared responsibility for workload).
            "caseload": caseload_of(session.supervisee_id) if session.supervisee_id else None,
            # Issue 15 item 7: the supervisee's draft, for whoever may read it now.
            "supervisee_draft_url": reverse("supervision:supervisee_draft", args=[session.pk])
            if user.has_perm(Permission.VIEW_SUPERVISEE_DRAFT, session)
            else None,
        }
        if record is not None:
            context.update(
                can_sign_supervisor=user.has_perm(Permission.SIGN_AS_SUPERVISOR, record),
                can_sign_supervisee=user.has_perm(Permission.SIGN_AS_SUPERVISEE, record),
                can_add_addendum=user.has_perm(Permission.ADD_ADDENDUM, record),
                can_plan_next=user.has_perm(Permission.PLAN_NEXT_SESSION, record),
                can_download=record.is_locked
                and user.has_perm(Permission.DOWNLOAD_RECORD_PDF, session),
                sign_form=sign_form or SuperviseeSignForm(),
                # Issue 15 item 8: this session's timing, and the pair's over time.
                started_on_time=record.started_on_time,
                minutes_held=record.minutes_held,
                timeliness=selectors.pair_timeliness(session),
                chosen_children=[c.child for c in session.chosen_children.all()],
            )
        return context


class RecordView(RecordPageMixin, TemplateView):
    """THE record page: one page that works in the room (issue 3 item 5). Every read is
    written to the audit log (issue 3 item 9)."""

    permission_required = Permission.VIEW_RECORD
    template_name = "supervision/record.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.record_context())
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        record = self.session.record if _has_record(self.session) else None
        audit_event_record(
            actor=self.request.user,
            action=AuditAction.VIEW,
            target=record or self.session,
            origin=origin(request),
        )
        return response


class RecordSaveView(StaleEditRecoveryMixin, RecordPageMixin, TemplateView):
    """Save the record's draft. A stale save is refused, and the page comes back with what
    was typed and the message (issue 3 item 9)."""

    permission_required = Permission.SAVE_RECORD
    template_name = "supervision/record.html"
    http_method_names = ["post"]

    def stale_current(self, form: Any) -> SessionRecord | None:
        return SessionRecord.objects.filter(session=self.session).first()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.session
        earlier = mark_overdue(selectors.open_actions_before(session), timezone.localdate())
        form = RecordForm(request.POST, earlier_actions=earlier, wellbeing=True)
        if form.is_valid():
            data = form.cleaned_data
            follow_ups = [
                services.FollowUpInput(
                    action_id=action.pk,
                    outcome=data[key],
                    note=data.get(f"{key}_note") or "",
                    new_due_on=data.get(f"{key}_due"),
                )
                for action, key in form.follow_up_rows
                if data.get(key)
            ]
            if self.attempt(
                form,
                lambda: services.session_record(
                    actor=self.request.user,
                    session=session,
                    held_on=data["held_on"],
                    data={k: data[k] for k in RECORD_FIELDS if k in data},
                    expected_version=data.get("version"),
                    follow_ups=follow_ups,
                    origin=origin(request),
                ),
            ):
                messages.success(request, "Record saved.")
                if request.POST.get("then") == "discussion":
                    # "Save and add a family": what was typed is kept (issue 12 item 4).
                    return HttpResponseRedirect(
                        reverse("supervision:discussion_add", args=[session.pk])
                    )
                return HttpResponseRedirect(reverse("supervision:record", args=[session.pk]))
        context = self.get_context_data()
        context.update(self.record_context(record_form=form))
        return self.render_to_response(context)


class CaseDiscussionAddView(SessionMixin, ServiceFormView):
    permission_required = Permission.SAVE_RECORD
    template_name = "supervision/discussion_form.html"
    form_class = CaseDiscussionForm
    page_title = "Add a case discussion"
    success_message = "Case discussion about {result.child.display_name} added."
    edits = False

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        if not self.edits:
            del form.fields["version"]  # a new discussion has no version yet
        else:
            del form.fields["submission_token"]  # only adding is guarded by a token
        return form

    def record(self) -> SessionRecord | None:
        """None until the record is first saved: a family can be added from the start and
        the service starts the record (issue 12 item 4)."""
        return self.session.record if _has_record(self.session) else None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["children"] = selectors.children_for_session(self.session)
        kwargs["tool"] = self.tool()
        return kwargs

    def tool(self) -> Tool:
        """The reflective tool asked (seed 004 Appendix II; issue 15 item 11): the one sent
        with the form, else one chosen by link, else the discussion's, else the agency's."""
        chosen = self.request.POST.get("reflective_tool") or self.request.GET.get("tool")
        if chosen in TOOLS:
            return TOOLS[chosen]
        return self.current_tool()

    def current_tool(self) -> Tool:
        return default_tool(agency_id=self.session.agency_id)

    def get_initial(self) -> dict[str, Any]:
        record = self.record()
        discussed = (
            set(record.case_discussions.values_list("child_id", flat=True)) if record else set()
        )
        waiting = [
            c.child_id for c in self.session.chosen_children.all() if c.child_id not in discussed
        ]
        return {"child": waiting[0]} if waiting else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["record_url"] = reverse("supervision:record", args=[self.session.pk])
        return context

    def decisions(self, data: dict[str, Any]) -> list[services.DecisionInput]:
        if not data.get("decision"):
            return []
        return [
            services.DecisionInput(
                decision=data["decision"],
                rationale=data.get("rationale") or "",
                variation_from_procedure=data.get("variation_from_procedure") or "",
                immediate_concern=bool(data.get("immediate_concern")),
                kind=data.get("decision_kind") or DecisionKind.OTHER,
            )
        ]

    def perform(self, form: CaseDiscussionForm) -> Any:
        return services.case_discussion_add_to_session(
            actor=self.actor,
            session=self.session,
            child=form.cleaned_data["child"],
            data=form.cleaned_data,
            decisions=self.decisions(form.cleaned_data),
            submission_token=form.cleaned_data["submission_token"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return (
            reverse("supervision:record", args=[self.session.pk]) + f"#discussion-{self.result.pk}"
        )


class CaseDiscussionEditView(CaseDiscussionAddView):
    page_title = "Change a case discussion"
    success_message = "Case discussion saved."
    edits = True

    def stale_current(self, form: Any) -> CaseDiscussion | None:
        return CaseDiscussion.objects.filter(pk=self.discussion().pk).first()

    def discussion(self) -> CaseDiscussion:
        if not hasattr(self, "_discussion"):
            self._discussion = get_object_or_404(
                CaseDiscussion.objects.select_related("child", "record"),
                pk=self.kwargs["discussion_id"],
                record__session_id=self.kwargs["pk"],
            )
        return self._discussion

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super(CaseDiscussionAddView, self).get_form_kwargs()
        kwargs["children"] = None
        kwargs["tool"] = self.tool()
        return kwargs

    def current_tool(self) -> Tool:
        return self.discussion().tool

    def get_initial(self) -> dict[str, Any]:
        discussion = self.discussion()
        initial = {name: getattr(discussion, name) for name in services.records.DISCUSSION_FIELDS}
        initial["version"] = discussion.version
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["discussion"] = self.discussion()
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        audit_event_record(
            actor=self.request.user,
            action=AuditAction.VIEW,
            target=self.discussion(),
            origin=origin(request),
        )
        return response

    def perform(self, form: CaseDiscussionForm) -> Any:
        services.case_discussion_update(
            actor=self.actor,
            discussion=self.discussion(),
            data=form.cleaned_data,
            expected_version=form.cleaned_data.get("version"),
            decisions=self.decisions(form.cleaned_data),
            origin=self.origin(),
        )
        return self.discussion()


class _BackToRecordFormView(SessionMixin, ServiceFormView):
    """A form reached from the record page; saved, it goes back there, to ``anchor``."""

    template_name = "supervision/form_page.html"
    button = "Save"
    anchor = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["button"] = self.button
        context["back_url"] = reverse("supervision:record", args=[self.session.pk])
        return context

    def get_success_url(self) -> str:
        return reverse("supervision:record", args=[self.session.pk]) + self.anchor


class _RecordFormView(_BackToRecordFormView):
    permission_required = Permission.SAVE_RECORD

    def record(self) -> SessionRecord:
        if not _has_record(self.session):
            raise Http404("This session has no record yet")
        return self.session.record


class ActionAddView(_RecordFormView):
    form_class = ActionForm
    page_title = "Add an agreed action"
    button = "Add the action"
    success_message = "Action added."
    anchor = "#actions"
    prefix = "action"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        record = self.record()
        kwargs.update(
            people=_participants(self.session), children=_action_children(self.session, record)
        )
        return kwargs

    def perform(self, form: ActionForm) -> Any:
        data = form.cleaned_data
        return services.action_add(
            actor=self.actor,
            record=self.record(),
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            child=data.get("child"),
            submission_token=data["submission_token"],
            origin=self.origin(),
        )


class AttendanceView(_RecordFormView):
    form_class = AttendanceForm
    page_title = "Record attendance"
    button = "Save attendance"
    success_message = "Attendance saved."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["people"] = Person.objects.filter(
            pk__in=[a.person_id for a in self.session.attendances.all()]
        ).order_by("family_name", "given_name")
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"attended": [a.person_id for a in self.session.attendances.all() if a.attended]}

    def perform(self, form: AttendanceForm) -> Any:
        return services.session_attendance_record(
            actor=self.actor,
            session=self.session,
            attended_ids=[p.pk for p in form.cleaned_data["attended"]],
            origin=self.origin(),
        )


class SignSupervisorView(RecordMixin, View):
    permission_required = Permission.SIGN_AS_SUPERVISOR

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.record_sign_supervisor(
                actor=self.request.user,
                record=self.record,
                origin=origin(request),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                "You have signed the record."
                + (
                    " It is now with the supervisee to read and sign."
                    if self.session.supervisee_id
                    else ""
                ),
            )
        return HttpResponseRedirect(
            reverse("supervision:record", args=[self.session.pk]) + "#sign-off"
        )


class RecordCheckView(RecordMixin, ServiceFormView):
    """Check your answers before signing (issue 12 item 4; GOV.UK "check answers" pattern):
    everything the record holds, with warnings about children brought but not discussed,
    actions without an owner or date and empty sections. Signing from here signs the version
    shown; a record changed since is refused and shown again."""

    permission_required = Permission.SIGN_AS_SUPERVISOR
    template_name = "supervision/record_check.html"
    form_class = SignCheckForm
    page_title = "Check the record before you sign"

    def stale_current(self, form: Any) -> SessionRecord | None:
        return SessionRecord.objects.filter(pk=self.record.pk).first()

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.record.version}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.session
        wellbeing = self.request.user.has_perm(Permission.VIEW_WELLBEING, session)
        record = selectors.record_for(session_id=session.pk, with_wellbeing=wellbeing)
        day = timezone.localdate()
        earlier = mark_overdue(selectors.open_actions_before(session), day)
        chosen = [c.child for c in session.chosen_children.select_related("child")]
        for discussion in record.case_discussions.all():
            mark_overdue(discussion.decisions.all(), day)
        context.update(
            record=record,
            check=record_check(record, chosen_children=chosen, earlier_actions=list(earlier)),
            show_wellbeing=wellbeing and not session.is_group,
            record_url=reverse("supervision:record", args=[session.pk]),
        )
        return context

    def perform(self, form: SignCheckForm) -> Any:
        return services.record_sign_supervisor(
            actor=self.actor,
            record=self.record,
            expected_version=form.cleaned_data["version"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("supervision:record_signed", args=[self.session.pk])


class RecordSignedView(RecordMixin, TemplateView):
    """Where signing from the check page lands (GOV.UK confirmation pattern): what happened
    and what happens next."""

    permission_required = Permission.VIEW_RECORD
    template_name = "supervision/record_signed.html"
    page_title = "Record signed"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.record.supervisor_signed_at is None:
            return HttpResponseRedirect(reverse("supervision:record", args=[self.session.pk]))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            record=self.record,
            locked=self.record.is_locked,
            can_plan_next=self.request.user.has_perm(Permission.PLAN_NEXT_SESSION, self.record),
        )
        return context


class _RecordObjectFormView(RecordMixin, _BackToRecordFormView):
    """The rule is checked against the session's record (signing, addenda)."""


class SignSuperviseeView(_RecordObjectFormView):
    permission_required = Permission.SIGN_AS_SUPERVISEE
    form_class = SuperviseeSignForm
    page_title = "Sign the record"
    button = "Sign the record"
    success_message = "You have signed the record. It is now locked."
    anchor = "#sign-off"

    def perform(self, form: SuperviseeSignForm) -> Any:
        return services.record_sign_supervisee(
            actor=self.actor,
            record=self.record,
            comment=form.cleaned_data["comment"],
            review={name: form.cleaned_data.get(name) or "" for name in PROCESS_REVIEW_FIELDS},
            origin=self.origin(),
        )


class AddendumAddView(_RecordObjectFormView):
    permission_required = Permission.ADD_ADDENDUM
    form_class = AddendumForm
    page_title = "Add an addendum"
    button = "Add the addendum"
    success_message = "Addendum added to the record."
    anchor = "#addenda"

    def perform(self, form: AddendumForm) -> Any:
        return services.addendum_add(
            actor=self.actor,
            record=self.record,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            submission_token=form.cleaned_data["submission_token"],
            origin=self.origin(),
        )


class RecordPdfView(RecordMixin, View):
    """The signed copy (seed 001 "Recording": the supervisee receives a signed copy)."""

    permission_required = Permission.DOWNLOAD_RECORD_PDF

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.record.is_locked:
            raise Http404("Only a record signed by both can be downloaded")
        wellbeing = request.user.has_perm(Permission.VIEW_WELLBEING, self.session)
        record = selectors.record_for(session_id=self.session.pk, with_wellbeing=wellbeing)
        content = record_pdf(record, wellbeing=wellbeing and not record.session.is_group)
        audit_event_record(
            actor=self.request.user,
            action=AuditAction.EXPORT,
            target=record,
            origin=origin(request),
            detail={"format": "pdf"},
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{record_pdf_filename(record)}"'
        return response
