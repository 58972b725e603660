from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import FormView
from django_tasks_db.models import DBTaskResult

from .access import BreadcrumbsMixin, RuleRequiredMixin
from .forms import apply_service_error, recover_stale_edit
from .services import RequestOrigin, StaleEditError

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

HEALTH_TOKEN_HEADER = "X-Health-Check-Token"


def _database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # the answer must say what is wrong, not fail
        return False
    return True


def _task_queue() -> dict[str, Any]:
    """How much queued work waits for the worker, and for how long the oldest has waited."""
    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except Exception:  # the queue's table may be missing or unreachable
        return {"status": "unavailable"}
    age = None if oldest is None else int((timezone.now() - oldest).total_seconds())
    return {"status": "ok", "waiting": waiting, "oldest_waiting_seconds": age}


@method_decorator(login_not_required, name="dispatch")
class HealthView(View):
    """Liveness for load balancers (issue 2 "Health"). The public answer is only up or down
    (issue 10 item 9: nothing that helps an attacker, such as the database vendor); an
    administrator signed in, or a monitor sending HEALTH_CHECK_TOKEN in the
    X-Health-Check-Token header, also gets the database and the task queue's backlog."""

    public = True

    def detail_allowed(self, request: HttpRequest) -> bool:
        token = settings.HEALTH_CHECK_TOKEN
        sent = request.headers.get(HEALTH_TOKEN_HEADER, "")
        if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
            return True
        return request.user.has_perm("people.manage_organisation")

    def get(self, request: HttpRequest) -> JsonResponse:
        reachable = _database_reachable()
        status = 200 if reachable else 503
        answer: dict[str, Any] = {"status": "ok" if reachable else "unavailable"}
        if self.detail_allowed(request):
            answer["database"] = {
                "status": "ok" if reachable else "unavailable",
                "vendor": connection.vendor,
            }
            answer["task_queue"] = _task_queue() if reachable else {"status": "unavailable"}
            answer["time"] = timezone.now().isoformat()
        return JsonResponse(answer, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


class StaleEditRecoveryMixin:
    """What every form page does when a service refuses its save: the error goes into the
    error summary and the page comes back with everything typed. On a stale edit the panel
    shows the other person's saved values beside the typed ones and the hidden version is
    the current one, so a deliberate second save goes through (issue 10 item 8)."""

    def stale_current(self, form: Any) -> models.Model | None:
        """The record as saved now; views whose record is not ``self.object`` override this."""
        found = getattr(self, "object", None)
        if not isinstance(found, models.Model):
            return None
        return type(found)._default_manager.filter(pk=found.pk).first()

    def refused(self, form: Any, error: ValidationError) -> None:
        if isinstance(error, StaleEditError):
            recover_stale_edit(form, error, self.stale_current(form))
        else:
            apply_service_error(form, error)

    def attempt(self, form: Any, service: Callable[[], Any]) -> bool:
        """Call ``service`` for a valid ``form``: True when it saved (what it returned is
        ``self.result``); False when it refused, with why shown on the form (``refused``).
        Pages with more than one form call this; one-form pages are ``ServiceFormView``s."""
        try:
            self.result = service()
        except ValidationError as error:
            self.refused(form, error)
            return False
        return True


class ServiceFormView(StaleEditRecoveryMixin, RuleRequiredMixin, BreadcrumbsMixin, FormView):
    """A form page whose valid submission calls ``perform(form)`` (a service). Subclasses set
    ``form_class``, ``permission_required``, ``heading`` and ``success_message`` (which may
    name ``{result}``, what ``perform`` returned), and ``get_success_url`` as usual."""

    heading = ""
    intro = ""
    submit_label = "Save"
    success_message = ""

    def origin(self) -> RequestOrigin:
        return RequestOrigin.from_request(self.request)

    @property
    def actor(self) -> User:
        """The person signed in, who acts: every service takes them as ``actor=``."""
        return self.request.user

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        if not self.attempt(form, lambda: self.perform(form)):
            return self.form_invalid(form)
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self) -> str:
        return self.success_message.format(result=self.result) if self.success_message else ""

    def get_heading(self) -> str:
        return self.heading

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(heading=self.get_heading(), intro=self.intro, submit_label=self.submit_label)
        return context
