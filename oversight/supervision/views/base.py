"""Mixins shared by the supervision pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.services import RequestOrigin

from .. import selectors
from ..models import Session, SessionRecord


def origin(request: HttpRequest) -> RequestOrigin:
    return RequestOrigin.from_request(request)


def session_label(session: Session) -> str:
    return f"{session.get_session_type_display()}, {session.planned_start:%-d %B %Y}"


class SessionMixin(RuleRequiredMixin, BreadcrumbsMixin):
    """Pages about one session: the session is the object the rule is checked against."""

    page_title = ""
    object: Any = None
    kwargs: dict[str, Any]

    def get_object(self, queryset: Any = None) -> Session:
        try:
            return selectors.session_detail(session_id=self.kwargs["pk"])
        except Session.DoesNotExist:
            raise Http404("No such session") from None

    @property
    def session(self) -> Session:
        return self.get_permission_object()

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        session = self.session
        crumbs: list[tuple[str, str | None]] = [
            ("Home", reverse("home")),
            ("Supervision", reverse("supervision:session_list")),
        ]
        if self.page_title:
            crumbs.append(
                (session_label(session), reverse("supervision:session_detail", args=[session.pk]))
            )
            crumbs.append((self.page_title, None))
        else:
            crumbs.append((session_label(session), None))
        return crumbs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        context["page_title"] = self.page_title
        return context


class RecordMixin(SessionMixin):
    """Pages about a session's record: the record is the object the rule is checked against."""

    def get_object(self, queryset: Any = None) -> SessionRecord:  # type: ignore[override]
        try:
            return (
                SessionRecord.objects.select_related(
                    "session", "session__supervisor", "session__supervisee", "session__agency"
                )
                .defer("emotional_impact", "vicarious_trauma", "support_offered")
                .get(session_id=self.kwargs["pk"])
            )
        except SessionRecord.DoesNotExist:
            raise Http404("This session has no record yet") from None

    @property
    def record(self) -> SessionRecord:
        return self.get_permission_object()

    @property
    def session(self) -> Session:
        return self.record.session

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        session = self.session
        return [
            ("Home", reverse("home")),
            ("Supervision", reverse("supervision:session_list")),
            (session_label(session), reverse("supervision:session_detail", args=[session.pk])),
            ("Record", reverse("supervision:record", args=[session.pk])),
            (self.page_title, None),
        ]
