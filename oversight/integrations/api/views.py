"""The API's endpoints (issue 16 item 3). Each finds what it needs with the integration's
selectors and changes it with the services the pages use; it adds no rule of its own. Every
call is audited (``finalize_response``) and counted against the client's rate."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from oversight.core.services import RequestOrigin

from .. import selectors, services
from ..models import Integration, Scope
from . import serializers as s
from .idempotency import HEADER, idempotent
from .problems import problem

IDEMPOTENCY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (at most 200 characters): the same write sent again with "
    "the same key gets the first answer and changes nothing.",
)


class ChangedCursor(CursorPagination):
    """Pages in the order records changed, oldest first: a system keeps the last
    ``modified_at`` it saw and asks again with ``changed_since``."""

    ordering = ("modified_at", "id")
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


class IdCursor(ChangedCursor):
    ordering = ("id",)  # type: ignore[assignment]


class IntegrationView(GenericAPIView):
    scopes: dict[str, str] = {}
    pagination_class = ChangedCursor

    @property
    def integration(self) -> Integration:
        return self.request.auth

    def origin(self) -> RequestOrigin:
        return RequestOrigin.from_request(self.request)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(getattr(request, "auth", None), Integration):
            services.api_call_audit(
                integration=request.auth,
                method=request.method or "",
                path=request.path,
                status=response.status_code,
                origin=RequestOrigin.from_request(request),
            )
        return response

    def query(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        found = serializer_class(data=self.request.query_params)
        found.is_valid(raise_exception=True)
        return dict(found.validated_data)

    def body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        found = serializer_class(data=self.request.data)
        found.is_valid(raise_exception=True)
        return dict(found.validated_data)

    def listed(self, queryset: Any, serializer_class: type[serializers.Serializer]) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


def _no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError("The reference contains a character that cannot be stored.")


class ChildListView(IntegrationView):
    scopes = {"GET": Scope.CHILDREN_READ}
    serializer_class = s.ChildSerializer

    @extend_schema(
        operation_id="children_list",
        parameters=[s.ChangedSinceQuery],
        summary="List the agency's children",
        responses={200: s.ChildSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        query = self.query(s.ChangedSinceQuery)
        found = selectors.children_for(self.integration, changed_since=query.get("changed_since"))
        return self.listed(found, s.ChildSerializer)


class ChildUpsertView(IntegrationView):
    scopes = {"PUT": Scope.CHILDREN_WRITE}
    serializer_class = s.ChildWriteSerializer

    @extend_schema(
        operation_id="child_upsert",
        summary="Add or update a child by the agency's case reference",
        parameters=[IDEMPOTENCY],
        request=s.ChildWriteSerializer,
        responses={200: s.ChildSerializer, 201: s.ChildSerializer},
    )
    def put(self, request: Request, case_reference: str) -> Response:
        def call() -> Response:
            _no_nul(case_reference)
            if len(case_reference) > 50:
                return problem(400, "A case reference is at most 50 characters.")
            data = self.body(s.ChildWriteSerializer)
            child, added = services.child_upsert(
                integration=self.integration,
                item=services.ChildInput(case_reference=case_reference, **data),
                origin=self.origin(),
            )
            found = selectors.children_for(self.integration).get(pk=child.pk)
            return Response(s.ChildSerializer(found).data, status=201 if added else 200)

        return idempotent(call, request)


class ReviewMeetingUpsertView(IntegrationView):
    scopes = {"PUT": Scope.MEETINGS_WRITE}
    serializer_class = s.ReviewMeetingWriteSerializer

    @extend_schema(
        operation_id="review_meeting_upsert",
        summary="Add or update a review meeting by the case system's id",
        parameters=[IDEMPOTENCY],
        request=s.ReviewMeetingWriteSerializer,
        responses={200: s.ReviewMeetingSerializer, 201: s.ReviewMeetingSerializer},
    )
    def put(self, request: Request, external_id: str) -> Response:
        def call() -> Response:
            _no_nul(external_id)
            if len(external_id) > 100:
                return problem(400, "An id is at most 100 characters.")
            data = self.body(s.ReviewMeetingWriteSerializer)
            meeting, added = services.review_meeting_upsert(
                integration=self.integration,
                external_id=external_id,
                origin=self.origin(),
                **data,
            )
            body = {
                "external_id": external_id,
                "case_reference": data["case_reference"],
                "kind": meeting.kind,
                "meets_on": meeting.meets_on,
                "notes": meeting.notes,
                "version": meeting.version,
            }
            return Response(s.ReviewMeetingSerializer(body).data, status=201 if added else 200)

        return idempotent(call, request)


class DecisionListView(IntegrationView):
    scopes = {"GET": Scope.DECISIONS_READ}
    serializer_class = s.DecisionSerializer

    @extend_schema(
        operation_id="decisions_list",
        parameters=[s.DecisionQuery],
        summary="List decisions due on (or put on) the child's file",
        responses={200: s.DecisionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        query = self.query(s.DecisionQuery)
        found = selectors.decisions_for(
            self.integration,
            changed_since=query.get("changed_since"),
            status=query.get("status", ""),
        )
        return self.listed(found, s.DecisionSerializer)


class DecisionConfirmView(IntegrationView):
    scopes = {"POST": Scope.DECISIONS_CONFIRM}
    serializer_class = s.DecisionConfirmSerializer

    @extend_schema(
        operation_id="decision_confirm_on_file",
        summary="Confirm a decision is on the child's file",
        parameters=[IDEMPOTENCY],
        request=s.DecisionConfirmSerializer,
        responses={200: s.DecisionSerializer},
    )
    def post(self, request: Request, decision_id: int) -> Response:
        def call() -> Response:
            decision = selectors.decision_of(self.integration, decision_id)
            if decision is None:
                return problem(404, "Your agency has no decision with this id.")
            data = self.body(s.DecisionConfirmSerializer)
            services.decision_confirm_on_file(
                integration=self.integration,
                decision=decision,
                origin=self.origin(),
                **data,
            )
            found = selectors.decision_of(self.integration, decision_id)
            return Response(s.DecisionSerializer(found).data)

        return idempotent(call, request)


ImportProblem = inline_serializer(
    "StaffRefused",
    fields={
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "errors": inline_serializer(
            "StaffRecordError",
            fields={
                "index": serializers.IntegerField(allow_null=True),
                "reason": serializers.CharField(),
            },
            many=True,
        ),
    },
)


class StaffUpsertView(IntegrationView):
    scopes = {"POST": Scope.STAFF_WRITE}
    serializer_class = s.StaffBatchSerializer

    @extend_schema(
        operation_id="staff_upsert",
        summary="Add staff, posts, roles and relationships from HR, by staff number",
        parameters=[IDEMPOTENCY],
        request=s.StaffBatchSerializer,
        responses={
            200: s.StaffResultSerializer,
            422: OpenApiResponse(ImportProblem, description="One bad record refuses the batch."),
        },
    )
    def post(self, request: Request) -> Response:
        def call() -> Response:
            data = self.body(s.StaffBatchSerializer)
            result = services.staff_upsert(
                integration=self.integration,
                records=[dict(r) for r in data["records"]],
                origin=self.origin(),
            )
            if not result.ok:
                errors = [{"index": i, "reason": r} for i, r in result.problems()]
                return problem(
                    422,
                    "Nothing was saved: correct the records named and send the batch again.",
                    errors=errors,
                )
            return Response(s.StaffResultSerializer(result.counts).data)

        return idempotent(call, request)


class SessionListView(IntegrationView):
    scopes = {"GET": Scope.SESSIONS_READ}
    serializer_class = s.SessionSerializer

    @extend_schema(
        operation_id="sessions_list",
        parameters=[s.ChangedSinceQuery],
        summary="List the agency's supervision sessions",
        responses={200: s.SessionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        query = self.query(s.ChangedSinceQuery)
        found = selectors.sessions_for(self.integration, changed_since=query.get("changed_since"))
        return self.listed(found, s.SessionSerializer)


class WebhookListView(IntegrationView):
    scopes = {"GET": Scope.WEBHOOKS_MANAGE}
    serializer_class = s.WebhookSubscriptionSerializer
    pagination_class = IdCursor

    @extend_schema(
        operation_id="webhooks_list",
        summary="List this integration's webhook subscriptions",
        responses={200: s.WebhookSubscriptionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        found = selectors.subscriptions_of(self.integration)
        return self.listed(found, s.WebhookSubscriptionSerializer)
