from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from django_tasks_db.models import DBTaskResult

from . import kept_typing
from .access import BreadcrumbsMixin, RuleRequiredMixin
from .forms import apply_service_error, recover_stale_edit
from .glossary import TERMS
from .observability import request_id
from .rules import Permission
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


def _queue_behind(limit_minutes: int) -> tuple[bool, int | None]:
    """Whether the oldest task ready to run has waited longer than ``limit_minutes`` (0: the
    backlog is not counted), and how long it has waited."""
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    waited = None if oldest is None else int((timezone.now() - oldest).total_seconds())
    behind = bool(limit_minutes) and waited is not None and waited > limit_minutes * 60
    return behind, waited


def _cache_works() -> bool:
    key = f"health-ready-{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        works = cache.get(key) == value
        cache.delete(key)
    except Exception:  # an unreachable cache is an answer, not an error
        return False
    return works


@method_decorator(login_not_required, name="dispatch")
class HealthReadyView(HealthView):
    """Readiness for a load balancer (issue 14 item 3): 200 ``{"status": "ready"}`` when the
    database answers, the cache keeps what it is given and the task queue's oldest ready task
    has waited no longer than HEALTH_QUEUE_MAX_MINUTES; otherwise 503
    ``{"status": "unavailable"}``. Which check failed is shown only to an administrator or a
    monitor holding HEALTH_CHECK_TOKEN, as for /health/."""

    def get(self, request: HttpRequest) -> JsonResponse:
        checks: dict[str, str] = {}
        waited: int | None = None
        database = _database_reachable()
        checks["database"] = "ok" if database else "unavailable"
        checks["cache"] = "ok" if _cache_works() else "unavailable"
        if database:
            try:
                behind, waited = _queue_behind(settings.HEALTH_QUEUE_MAX_MINUTES)
                checks["task_queue"] = "behind" if behind else "ok"
            except Exception:  # the queue's table missing or unreadable
                checks["task_queue"] = "unavailable"
        else:
            checks["task_queue"] = "unavailable"
        ready = all(state == "ok" for state in checks.values())
        answer: dict[str, Any] = {"status": "ready" if ready else "unavailable"}
        if self.detail_allowed(request):
            answer["checks"] = checks
            answer["oldest_waiting_seconds"] = waited
        response = JsonResponse(answer, status=200 if ready else 503)
        response["Cache-Control"] = "no-store"
        return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the context processors, which may need what has just failed (the
    database); the page gives the request id for the person to quote."""
    page = loader.get_template("500.html").render({"request_id": request_id(request)})
    return HttpResponse(page, status=500)


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


class GlossaryView(RuleRequiredMixin, TemplateView):
    """The domain's words in plain English, linked from the footer and where they are used."""

    permission_required = Permission.VIEW_GLOSSARY
    template_name = "core/glossary.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "terms": TERMS}


class KeptTypingView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """What the person typed before they were signed out for being idle, to check and put
    back (issue 12 item 3; core.kept_typing). Only ever their own."""

    permission_required = Permission.VIEW_KEPT_TYPING
    template_name = "core/kept_typing.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.request.session.pop("signed_out_idle", None)
        return {**super().get_context_data(**kwargs), "kept": kept_typing.kept_for(self.request)}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            index = int(request.POST.get("discard", ""))
        except ValueError:
            index = -1
        kept_typing.discard(request, index=index)
        messages.success(request, "What you typed has been thrown away.")
        return HttpResponseRedirect(reverse("kept_typing"))

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), ("What you typed", None)]


class StillHereView(RuleRequiredMixin, View):
    """ "Stay signed in" from the idle warning: the session is renewed now, whenever it was
    last renewed (core.sessions); a script gets 204, a form goes back where it was."""

    permission_required = Permission.STAY_SIGNED_IN

    def post(self, request: HttpRequest) -> HttpResponse:
        request.session.modified = True
        if request.headers.get("Accept") == "application/json":
            return HttpResponse(status=204)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("home")
        return HttpResponseRedirect(back)


class ScopeChooserView(RuleRequiredMixin, BreadcrumbsMixin, View):
    """The page behind a URL that names no scope (an agency, say) when the page it leads to
    works on one: with a single choice it redirects there; with several it lists them, each
    linking to its own page, so a person who leads two agencies can reach the second
    (decision 0002: the scope is in the URL and the rule is checked against it). Subclasses
    set ``permission_required``, ``heading`` and ``intro``, and return the choices as
    (label, url) pairs from ``get_choices``."""

    template_name = "includes/choose_scope.html"
    heading = ""
    intro = ""

    def get_choices(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        choices = self.get_choices()
        if len(choices) == 1:
            return HttpResponseRedirect(choices[0][1])
        context = {
            "heading": self.heading,
            "intro": self.intro,
            "choices": choices,
            "breadcrumbs": self.get_breadcrumbs(),
        }
        return render(request, self.template_name, context)
