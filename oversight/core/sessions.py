"""Sessions that end after inactivity without a database write on every page (issue 17
item 1; decision 0026).

The idle sign-out (``SESSION_IDLE_SECONDS``, decision 0013) used to renew the session on
every request (``SESSION_SAVE_EVERY_REQUEST``): a transaction, an ``UPDATE`` and a commit
for every page anyone opened, most of them moving the end of the session by a few seconds.
Now a session is written when its data changes, and otherwise renewed only once its stored
end is more than ``SESSION_RENEW_SECONDS`` (60; at most a tenth of the allowance) short of a
full idle allowance. The idle sign-out therefore comes between ``SESSION_IDLE_SECONDS -
SESSION_RENEW_SECONDS`` and ``SESSION_IDLE_SECONDS`` after the last page; the warning before
it counts down from what the stored session really has left (``seconds_left``), so "Stay
signed in" is never offered after the session has ended. Sessions stay in the database
table: back-channel logout (signin.services) ends them there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .prepared import prepared


def renew_window(age: int) -> int:
    """How stale a session's end may get before a page renews it: SESSION_RENEW_SECONDS,
    but never more than a tenth of the idle allowance (a short allowance, as in the browser
    tests, is renewed on every page, as before)."""
    return min(int(getattr(settings, "SESSION_RENEW_SECONDS", 60)), age // 10)


class SessionStore(db.SessionStore):
    """Django's database sessions, remembering when the stored session ends."""

    stored_expiry: dt.datetime | None = None

    def _get_session_from_db(self) -> Any:
        """As Django's, with its SQL compiled once (core.prepared): every page reads it."""
        found = _stored_session(session_key=self.session_key, now=timezone.now())
        stored = found[0] if found else None
        if stored is None:
            self._session_key = None
        self.stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def renewal_due(self) -> bool:
        """Whether this request should push the end of a loaded session back: its stored end
        is more than the renewal window short of a full idle allowance."""
        if self.stored_expiry is None:
            return False
        age = self.get_session_cookie_age()
        full = timezone.now() + dt.timedelta(seconds=age)
        return self.stored_expiry <= full - dt.timedelta(seconds=renew_window(age))

    def seconds_left(self) -> int:
        """Seconds of inactivity before the sign-out, as they will stand once this response
        is sent: a full allowance when the session is about to be written."""
        age = self.get_session_cookie_age()
        if self.stored_expiry is None or self.modified or self.renewal_due():
            return age
        left = (self.stored_expiry - timezone.now()).total_seconds()
        return max(0, min(age, int(left)))


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, marking a session that is due for renewal as changed so
    that it is written (with a new end) as the response goes out."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if isinstance(session, SessionStore) and not session.modified and session.renewal_due():
            session.modified = True
        return super().process_response(request, response)


def idle_seconds_left(request: HttpRequest) -> int:
    """For the idle warning (templates/base.html): what the session has left."""
    session = getattr(request, "session", None)
    if isinstance(session, SessionStore):
        return session.seconds_left()
    return int(settings.SESSION_COOKIE_AGE)


@prepared
def _stored_session(*, session_key: str, now: dt.datetime) -> QuerySet[Any]:
    return SessionStore.get_model_class().objects.filter(
        session_key=session_key, expire_date__gt=now
    )[:1]
