"""Sign in with either a username or an email address (issue 2), and the key django-axes
counts failed sign-ins under (issue 10 item 1)."""

from typing import Any

import rules
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from oversight.core.prepared import prepared

from .models import Person


def person_for_sign_in(identifier: str) -> Person | None:
    """The account a typed username or email address names, in any letter case."""
    identifier = identifier.strip()
    if not identifier:
        return None
    return (
        Person.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
        .order_by("pk")
        .first()
    )


class RulesAnsweredModelBackend(ModelBackend):
    """A ModelBackend that leaves the permissions ``rules`` names to rules' own backend
    (listed before it, decision 0002). Without this, every page whose rule said no fell
    through to the model permissions and read them (two queries a request, issue 17 item
    1); only the admin site's model permissions are read here."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if rules.perm_exists(perm):
            return False
        return super().has_perm(user_obj, perm, obj)

    def get_user(self, user_id: Any) -> Any:
        """As ModelBackend's, with its SQL compiled once (core.prepared): every page reads
        the signed-in person."""
        try:
            person_id = Person._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _person(person_id=person_id)
        person = found[0] if found else None
        return person if person is not None and self.user_can_authenticate(person) else None


class UsernameOrEmailBackend(RulesAnsweredModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Person | None:
        if not username or not password:
            return None
        person = person_for_sign_in(username)
        if person is None:
            Person().set_password(password)  # same work either way: no timing oracle
            return None
        if person.check_password(password) and self.user_can_authenticate(person):
            return person
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """The service's permissions are rules (``rules``); Django's permission tables grant
        nothing but the Django admin's, to staff. Everyone else is spared the two queries a
        page paid when a rule said no and this backend was asked next (issue 17 item 1)."""
        if not getattr(user_obj, "is_staff", False):
            return set()
        return super().get_all_permissions(user_obj, obj)


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: one counter per account. Any spelling of the username or the
    email address resolves to the account's lowercased username, so `Practitioner.NQ` and the
    email cannot each have five more guesses; text naming no account is its own lowercased
    self."""
    field = settings.AXES_USERNAME_FORM_FIELD
    typed = (credentials or {}).get(field)
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get(field)
    typed = (typed or "").strip()
    person = person_for_sign_in(typed)
    return person.username.lower() if person is not None else typed.lower()


def lockout_parameters(
    request_or_attempt: HttpRequest | AccessBase, credentials: dict[str, Any] | None = None
) -> list[str | list[str]]:
    """AXES_LOCKOUT_PARAMETERS: the account is locked after AXES_FAILURE_LIMIT failures from
    any address. The address is a second signal: once it has failed AXES_ADDRESS_FAILURE_LIMIT
    times across accounts (password spraying) it is locked too. The address alone never
    shields an account, and a few mistakes in a shared office do not lock the office."""
    if isinstance(request_or_attempt, AccessBase):
        address = request_or_attempt.ip_address
    else:
        address = getattr(request_or_attempt, "axes_ip_address", None) or (
            get_client_ip_address(request_or_attempt)
        )
    if address:
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        failures = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=since
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (failures or 0) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return ["username", "ip_address"]
    return ["username"]


@prepared
def _person(*, person_id: int) -> QuerySet[Person]:
    return Person._default_manager.filter(pk=person_id)
