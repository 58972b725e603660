"""Who writes the record (issue 15 item 7; seed 001 "Recording": "recording may be completed
by the supervisor depending on the agency"): the supervisee's draft, its hand-over, and the
supervisor copying it into the record they complete and sign. Pages of their own, apart from
the record page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from oversight.core.views import ServiceFormView

from ..forms_drafts import SuperviseeDraftForm
from ..models import SuperviseeDraft
from ..rules import Permission
from ..services.drafts import record_draft_save, record_draft_take_in
from .base import SessionMixin, origin


def _draft(session: Any) -> SuperviseeDraft | None:
    return SuperviseeDraft.objects.live().filter(session=session).first()


class SuperviseeDraftEditView(SessionMixin, ServiceFormView):
    """The supervisee writes the draft and, when it is ready, hands it to the supervisor."""

    permission_required = Permission.DRAFT_RECORD
    template_name = "supervision/supervisee_draft_form.html"
    form_class = SuperviseeDraftForm
    page_title = "Draft the record for your supervisor"
    intro = (
        "Your agency lets you draft the record of your supervision. Save it as often as you "
        "like. When it is ready, hand it to your supervisor, who completes the record and signs "
        "it first; you then read and sign it."
    )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        draft = _draft(self.session)
        kwargs["instance"] = draft
        if draft is not None and not self.request.POST:
            kwargs["initial"] = {**kwargs.get("initial", {}), "version": draft.version}
        return kwargs

    def get_heading(self) -> str:
        return self.page_title

    def perform(self, form: SuperviseeDraftForm) -> Any:
        data = form.cleaned_data
        self.handed_over = "hand_over" in self.request.POST
        return record_draft_save(
            actor=self.actor,
            session=self.session,
            data={name: data.get(name) or "" for name in SuperviseeDraftForm.Meta.fields},
            hand_over=self.handed_over,
            expected_version=data.get("version"),
            origin=self.origin(),
        )

    def get_success_message(self) -> str:
        if getattr(self, "handed_over", False):
            return "Your draft has been handed to your supervisor."
        return "Draft saved."

    def get_success_url(self) -> str:
        if getattr(self, "handed_over", False):
            return reverse("supervision:supervisee_draft", args=[self.session.pk])
        return reverse("supervision:supervisee_draft_edit", args=[self.session.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["back_url"] = reverse("supervision:session_detail", args=[self.session.pk])
        return context


class SuperviseeDraftView(SessionMixin, TemplateView):
    """The draft as written: the supervisee's own, and the supervisor's once handed over."""

    permission_required = Permission.VIEW_SUPERVISEE_DRAFT
    template_name = "supervision/supervisee_draft.html"
    page_title = "The supervisee's draft of the record"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        session = self.session
        context.update(
            draft=_draft(session),
            can_edit=user.has_perm(Permission.DRAFT_RECORD, session),
            can_take_in=user.has_perm(Permission.TAKE_IN_SUPERVISEE_DRAFT, session),
            record_url=reverse("supervision:record", args=[session.pk]),
        )
        return context


class SuperviseeDraftTakeInView(SessionMixin, View):
    """The supervisor copies the handed-over draft into the record, then completes it."""

    permission_required = Permission.TAKE_IN_SUPERVISEE_DRAFT

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            record_draft_take_in(
                actor=self.request.user, session=self.session, origin=origin(request)
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(
                reverse("supervision:supervisee_draft", args=[self.session.pk])
            )
        messages.success(
            request,
            "The draft is in the record. Add the case discussions and actions, then sign it.",
        )
        return HttpResponseRedirect(reverse("supervision:record", args=[self.session.pk]))
