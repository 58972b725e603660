"""Sign in with either a username or an email address (issue 2)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from .models import Person


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Person | None:
        if not username or not password:
            return None
        person = Person.objects.filter(
            Q(username__iexact=username) | Q(email__iexact=username)
        ).first()
        if person is None:
            Person().set_password(password)  # same work either way: no timing oracle
            return None
        if person.check_password(password) and self.user_can_authenticate(person):
            return person
        return None
