"""The administrator's list of emails that were not sent, with "Send again" (issue 10 item
2: a failure that persists is shown to the administrator, with a way to resend)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.models import OutgoingEmail
from oversight.core.services import RequestOrigin, outgoing_email_resend

from ..models import Person
from ..rules import Permission
from ..services import invitation_resend


class FailedEmailListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    permission_required = Permission.MANAGE_OUTGOING_EMAIL
    template_name = "people/manage/failed_emails.html"
    context_object_name = "emails"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[OutgoingEmail]:
        return OutgoingEmail.objects.failed().order_by("-failed_at", "-id")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Administration", reverse("people:manage_index")),
            ("Emails not sent", None),
        ]


class FailedEmailResendView(RuleRequiredMixin, View):
    permission_required = Permission.MANAGE_OUTGOING_EMAIL
    http_method_names = ["post"]
    object: OutgoingEmail | None = None

    def get_object(self) -> OutgoingEmail:
        return get_object_or_404(OutgoingEmail, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email: OutgoingEmail = self.object or self.get_object()
        try:
            outgoing_email_resend(
                email=email,
                actor=self.request.user,
                origin=RequestOrigin.from_request(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The email to {email.to} is being sent again.")
        return HttpResponseRedirect(reverse("people:failed_email_list"))


class InvitationResendView(RuleRequiredMixin, View):
    """Send a fresh invitation to someone who has not set their password (issue 11 item 1)."""

    permission_required = Permission.MANAGE_ORGANISATION
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = get_object_or_404(Person, pk=self.kwargs["pk"])
        try:
            invitation_resend(
                actor=self.request.user,
                person=person,
                origin=RequestOrigin.from_request(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"A new invitation is on its way to {person.email}. Earlier links no longer work.",
            )
        return HttpResponseRedirect(reverse("people:manage_person", args=[person.pk]))
