from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View


@method_decorator(login_not_required, name="dispatch")
class HealthView(View):
    """Liveness and database status for load balancers and monitoring (issue 2 "Health")."""

    public = True

    def get(self, request: HttpRequest) -> JsonResponse:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            database = "ok"
        except Exception:  # the answer must say what is wrong, not fail
            database = "unavailable"
        status = 200 if database == "ok" else 503
        return JsonResponse(
            {
                "status": "ok" if status == 200 else "degraded",
                "database": database,
                "database_vendor": connection.vendor,
                "time": timezone.now().isoformat(),
            },
            status=status,
        )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
