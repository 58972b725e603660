"""Never lose typed work (issue 12 item 3). A record takes an hour or more to write in a
session and the idle sign-out is shorter. Every form a signed-in person is shown carries a
signed note of who they are (``TYPED_BY``, added beside the CSRF token by the
``csrf_token`` tag in ``core.templatetags.kept_typing``). When a form comes back after the
session has expired, ``KeptTypingMiddleware`` keeps what was typed in the new session and
sends the person to sign in; once the same person has signed in, ``/account/kept-typing/``
shows it and puts it back. It is never shown to anyone else: a different person signing in
on the same browser finds nothing, and the note expires after a day. Decision 0013."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

TYPED_BY = "_typed_by"
SALT = "oversight.kept-typing"
KEPT = "kept_typing"
NOTE_MAX_AGE = 24 * 60 * 60
# Fields that are the form's machinery, not what the person typed.
NOT_TYPED = {"csrfmiddlewaretoken", TYPED_BY}
MOST_KEPT = 5
MOST_CHARACTERS = 200_000


def typed_by_note(user_pk: Any) -> str:
    return signing.dumps({"u": str(user_pk)}, salt=SALT)


def typed_by_owner(note: str) -> str | None:
    try:
        return str(signing.loads(note, salt=SALT, max_age=NOTE_MAX_AGE)["u"])
    except (signing.BadSignature, KeyError, TypeError):
        return None


@dataclass
class KeptForm:
    path: str
    fields: list[tuple[str, str]]
    at: Any

    @property
    def typed(self) -> list[tuple[str, str]]:
        """What the person wrote, for them to check: the filled-in fields a person types or
        chooses, without hidden machinery such as versions and tokens."""
        return [
            (name.replace("_", " ").capitalize(), value)
            for name, value in self.fields
            if value.strip() and name not in {"version", "submission_token", "action"}
        ]


def keep(request: HttpRequest, *, owner: str, data: QueryDict) -> None:
    fields = [(k, v) for k, values in data.lists() if k not in NOT_TYPED for v in values]
    if sum(len(v) for _k, v in fields) > MOST_CHARACTERS:
        return
    kept = [
        *[k for k in request.session.get(KEPT, []) if k["owner"] == owner][-(MOST_KEPT - 1) :],
        {
            "owner": owner,
            "path": request.get_full_path(),
            "fields": fields,
            "at": timezone.now().isoformat(),
        },
    ]
    request.session[KEPT] = kept


def kept_for(request: HttpRequest) -> list[KeptForm]:
    """The signed-in person's kept forms, newest first. Anything kept for someone else is
    dropped from the session at once."""
    owner = str(request.user.pk)
    everything = request.session.get(KEPT, [])
    mine = [k for k in everything if k["owner"] == owner]
    if len(mine) != len(everything):
        request.session[KEPT] = mine
    return [
        KeptForm(k["path"], [tuple(f) for f in k["fields"]], parse_datetime(k["at"]))
        for k in reversed(mine)
    ]


def discard(request: HttpRequest, *, index: int) -> None:
    owner = str(request.user.pk)
    mine = [k for k in request.session.get(KEPT, []) if k["owner"] == owner]
    position = len(mine) - 1 - index
    if 0 <= position < len(mine):
        del mine[position]
    request.session[KEPT] = mine


class KeptTypingMiddleware:
    """Between authentication and the sign-in requirement: a form sent after the session
    expired is kept, not dropped, and the person is asked to sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and TYPED_BY in request.POST
        ):
            owner = typed_by_owner(request.POST[TYPED_BY])
            if owner is not None:
                keep(request, owner=owner, data=request.POST)
                request.session["signed_out_idle"] = True
                query = urlencode({"next": reverse("kept_typing")})
                return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")
        return self.get_response(request)
