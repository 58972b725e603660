"""Sign-in, sign-out and failed sign-in are written to the audit log (issue 10 item 4; seed
001 "Recording": open to inspection and audit). Django's own signals say when; the audit
service writes. A failure records the username tried, never the password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from oversight.core.models import AuditAction
from oversight.core.services import RequestOrigin, audit_event_record


def _origin(request: Any) -> RequestOrigin | None:
    return RequestOrigin.from_request(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def audit_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_event_record(actor=user, action=AuditAction.SIGN_IN, target=user, origin=_origin(request))


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def audit_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event_record(
            actor=user, action=AuditAction.SIGN_OUT, target=user, origin=_origin(request)
        )


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def audit_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    tried = str(credentials.get("username") or credentials.get("email") or "")[:150]
    audit_event_record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        origin=_origin(request),
        detail={"username": tried},
    )
