"""Building integrations and the records the API reads, for the integrations tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oversight.integrations import services
from oversight.integrations.models import Integration, Scope

ALL_SCOPES = list(Scope.values)


def integration_for(
    agency: Any, *, actor: Any, scopes: list[str] | None = None, name: str = "Mosaic"
) -> tuple[Integration, str]:
    """An integration and its bearer token (``<client id>.<secret>``)."""
    integration, secret = services.integration_register(
        actor=actor, agency=agency, name=name, scopes=scopes or ALL_SCOPES
    )
    return integration, f"{integration.client_id}.{secret}"


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def decision_for(cast: Any, child: Any, *, on: dt.date | None = None, text: str = "Review") -> Any:
    """A decision about ``child`` made by the line manager in management oversight (fires
    core.events ``decision.made``)."""
    from oversight.supervision.services import management_oversight_record
    from oversight.supervision.services.oversight import DecisionInput

    oversight = management_oversight_record(
        actor=cast.line_manager,
        child=child,
        made_on=on or timezone.localdate(),
        summary="Reviewed the plan",
        decisions=[DecisionInput(decision=text, rationale="Two missed visits")],
    )
    return oversight.decisions.get()
