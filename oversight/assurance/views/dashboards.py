"""The assurance index, partnership and agency dashboards with their exports, the named
compliance page for line managers and leads, and the lead's agency settings and figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin, SignedInView
from oversight.core.home import is_wide_scope, kept_for_wide_scope
from oversight.core.views import ServiceFormView
from oversight.people.models import Agency
from oversight.people.selectors import access_profile

from .. import questions, selectors, services
from ..compliance import PersonCompliance, summarise, total
from ..forms import (
    ComplianceFilterForm,
    EvaluationSettingsForm,
    MonthEndRecomputeForm,
    WorkforceForm,
)
from ..models import WorkforceFigure
from ..periods import month_ends, quarter_start
from ..rules import Permission
from ..selectors import named_compliance_rows, named_table
from ..tables import Headline, Table
from .common import export_response, period_from

EXPORT_FORMATS = ("csv", "xlsx", "pdf")
TABLES_CACHE_SECONDS = 10 * 60


def _crumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("home")), ("Assurance", reverse("assurance:index")), *tail]


class IndexView(RuleRequiredMixin, TemplateView):
    """What assurance this person can see or give."""

    permission_required = Permission.VIEW_INDEX
    template_name = "assurance/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        profile = access_profile(user)
        today = timezone.localdate()
        context["led_agencies"] = list(
            Agency.objects.filter(pk__in=profile.led_agency_ids).order_by("name")
        )
        context["can_partnership"] = user.has_perm(Permission.VIEW_PARTNERSHIP_DASHBOARD)
        context["can_compliance"] = user.has_perm(Permission.VIEW_NAMED_COMPLIANCE)
        context["can_audits"] = user.has_perm(Permission.LIST_AUDITS)
        context["can_results"] = user.has_perm(Permission.VIEW_OWN_EVALUATION)
        context["can_pulse"] = user.has_perm(Permission.CHOOSE_PULSE_AGENCY)
        context["evaluations_due"] = (
            selectors.evaluations_due(person_id=profile.person_id, on=today)
            if profile.person_id
            else []
        )
        return context


class DashboardMixin(SignedInView):
    """Period, tables, headline questions and exports shared by the partnership and agency
    dashboards and their question pages (issue 12 item 2)."""

    kwargs: dict[str, Any]
    export_name = "dashboard"
    scope_kind = questions.PARTNERSHIP

    def tables(self, period: selectors.Period, today: dt.date) -> list[Table]:
        raise NotImplementedError

    def scope_agencies(self) -> list[Agency]:
        raise NotImplementedError

    def cache_scope(self) -> str:
        raise NotImplementedError

    def cached_tables(self, period: selectors.Period, today: dt.date) -> list[Table]:
        """The figures for a period, kept for a few minutes: the dashboard, its question
        pages, its exports and its board report then show the same numbers, and a busy
        morning does not recompute the partnership for every reader. Figures are aggregates,
        never personal."""
        kept = selectors.kept_tables(self.cache_scope(), period, today)
        self.figures_at = kept.at
        return kept.tables

    def cached_answers(
        self, period: selectors.Period, today: dt.date, tables: list[Table]
    ) -> dict[str, questions.Answer]:
        """The answer to each headline question, kept as long as the tables."""
        at = getattr(self, "figures_at", None)
        stamp = at.timestamp() if at else 0
        key = f"assurance:answers:{self.cache_scope()}:{period.start}:{period.end}:{today}:{stamp}"
        found = cache.get(key)
        if found is None:
            scope = questions.Scope(
                kind=self.scope_kind,
                agencies=self.scope_agencies(),
                period=period,
                today=today,
                tables=tables,
            )
            found = {
                q.slug: q.answer(scope)
                for q in questions.questions_for(self.scope_kind, tables)
                if q.answer is not None
            }
            cache.set(key, found, TABLES_CACHE_SECONDS)
        return found

    def board_summary(
        self, period: selectors.Period, today: dt.date, tables: list[Table]
    ) -> list[Headline]:
        """The board report opens with the dashboard's headline questions, as the page does."""
        answers = self.cached_answers(period, today, tables)
        return [
            Headline(
                question=q.ask,
                figure=answers[q.slug].figure,
                about=answers[q.slug].about,
                direction=answers[q.slug].direction,
                table=answers[q.slug].trend,
            )
            for q in questions.questions_for(self.scope_kind, tables)
            if q.slug in answers
        ]

    def title(self) -> str:
        raise NotImplementedError

    def dashboard_url(self) -> str:
        raise NotImplementedError

    def question_url(self, slug: str) -> str:
        raise NotImplementedError

    def export_target(self) -> Any:
        return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = kwargs.get("fmt")
        if fmt is not None and fmt not in EXPORT_FORMATS:
            raise Http404("No such export format.")
        if fmt in EXPORT_FORMATS:
            today = timezone.localdate()
            period, _ = period_from(request, today)
            tables = self.cached_tables(period, today)
            return export_response(
                self.request,
                fmt=fmt,
                tables=tables,
                name=self.export_name,
                title=self.title(),
                period=period,
                target=self.export_target(),
                summary=self.board_summary(period, today, tables) if fmt == "pdf" else None,
            )
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        today = timezone.localdate()
        period, form = period_from(self.request, today)
        tables = self.cached_tables(period, today)
        query = f"?start={period.start.isoformat()}&end={period.end.isoformat()}"
        asked = questions.questions_for(self.scope_kind, tables)
        answers = self.cached_answers(period, today, tables)
        context.update(
            period=period,
            form=form,
            tables=tables,
            title=self.title(),
            query=query,
            dashboard_url=self.dashboard_url(),
            headlines=[
                Asked(q, self.question_url(q.slug) + query, answers.get(q.slug))
                for q in asked
                if q.is_headline
            ],
            more_questions=[
                Asked(q, self.question_url(q.slug) + query, None)
                for q in asked
                if not q.is_headline
            ],
        )
        return context


@dataclass
class Asked:
    """A question as a page lists it: its link (keeping the period) and its answer."""

    question: questions.Question
    url: str
    answer: questions.Answer | None


class PartnershipDashboardView(RuleRequiredMixin, DashboardMixin, BreadcrumbsMixin, TemplateView):
    """All agencies side by side: aggregates only, no names or notes, none under five. The
    page asks the headline questions; each links to its own page of tables."""

    permission_required = Permission.VIEW_PARTNERSHIP_DASHBOARD
    template_name = "assurance/dashboard.html"
    export_name = "partnership-assurance"

    def title(self) -> str:
        return "Partnership assurance dashboard"

    def scope_agencies(self) -> list[Agency]:
        return selectors.agencies_all()

    def cache_scope(self) -> str:
        return "partnership"

    def tables(self, period: selectors.Period, today: dt.date) -> list[Table]:
        return selectors.partnership_tables(period=period, today=today)

    def dashboard_url(self) -> str:
        return reverse("assurance:partnership_dashboard")

    def question_url(self, slug: str) -> str:
        return reverse("assurance:partnership_question", args=[slug])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["exports"] = {
            fmt: reverse("assurance:partnership_export", args=[fmt]) for fmt in EXPORT_FORMATS
        }
        context["aggregate_only"] = True
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Partnership dashboard", None))


class AgencyDashboardView(RuleRequiredMixin, DashboardMixin, BreadcrumbsMixin, TemplateView):
    """One agency by team and staff group, for its safeguarding lead."""

    permission_required = Permission.VIEW_AGENCY_DASHBOARD
    template_name = "assurance/dashboard.html"
    export_name = "agency-assurance"
    scope_kind = questions.AGENCY
    object: Agency | None = None

    def get_object(self) -> Agency:
        return get_object_or_404(Agency.objects.live(), pk=self.kwargs["pk"])

    def export_target(self) -> Any:
        return self.object

    def title(self) -> str:
        assert self.object is not None
        return f"{self.object.name} assurance dashboard"

    def scope_agencies(self) -> list[Agency]:
        assert self.object is not None
        return [self.object]

    def cache_scope(self) -> str:
        assert self.object is not None
        return f"agency-{self.object.pk}"

    def tables(self, period: selectors.Period, today: dt.date) -> list[Table]:
        assert self.object is not None
        return selectors.agency_tables(agency=self.object, period=period, today=today)

    def dashboard_url(self) -> str:
        assert self.object is not None
        return reverse("assurance:agency_dashboard", args=[self.object.pk])

    def question_url(self, slug: str) -> str:
        assert self.object is not None
        return reverse("assurance:agency_question", args=[self.object.pk, slug])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.object is not None
        context["agency"] = self.object
        context["exports"] = {
            fmt: reverse("assurance:agency_export", args=[self.object.pk, fmt])
            for fmt in EXPORT_FORMATS
        }
        context["can_settings"] = self.request.user.has_perm(
            Permission.CHANGE_AGENCY_SETTINGS, self.object
        )
        context["can_recompute"] = self.request.user.has_perm(
            Permission.RECOMPUTE_MONTH_END, self.object
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        assert self.object is not None
        return _crumbs((self.object.name, None))


class QuestionMixin(DashboardMixin):
    """One question of a dashboard on its own page: its answer and its tables, each table
    that small groups leave mostly empty saying so once, with a link to a grouping that
    shows figures (issue 12 item 2)."""

    template_name = "assurance/question.html"
    question: questions.Question

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        found = questions.question_for(self.scope_kind, self.kwargs["slug"], context["tables"])
        if found is None:
            raise Http404("No such question on this dashboard.")
        self.question = found
        query = context["query"]
        context.update(
            question=found,
            breadcrumbs=self.question_breadcrumbs(found),
            answer=next(
                (h.answer for h in context["headlines"] if h.question.slug == found.slug), None
            ),
            shown_tables=questions.shown_tables(
                found, context["tables"], lambda part: self.wider(part, found, query)
            ),
        )
        return context

    def question_breadcrumbs(self, question: questions.Question) -> list[tuple[str, str | None]]:
        raise NotImplementedError

    def wider(
        self, part: questions.TablePart, question: questions.Question, query: str
    ) -> tuple[str, str]:
        """Where a mostly empty table's figures show for larger groups: the headline, when it
        gives the figure for the whole partnership or agency."""
        if part.whole and question.is_headline:
            return (
                f"{self.dashboard_url()}{query}#question-{question.slug}",
                f"See the figure for the whole {self.scope_kind}",
            )
        return "", ""


class PartnershipQuestionView(QuestionMixin, PartnershipDashboardView):
    """A question of the partnership dashboard, by agency."""

    def question_breadcrumbs(self, question: questions.Question) -> list[tuple[str, str | None]]:
        return _crumbs(
            ("Partnership dashboard", self.dashboard_url()),
            (question.ask, None),
        )


class AgencyQuestionView(QuestionMixin, AgencyDashboardView):
    """A question of an agency's dashboard, by team and staff group."""

    def wider(
        self, part: questions.TablePart, question: questions.Question, query: str
    ) -> tuple[str, str]:
        """By agency instead of by team: the same question on the partnership dashboard, for
        a lead (who sees it as the auditor does)."""
        if part.by_agency and self.request.user.has_perm(Permission.VIEW_PARTNERSHIP_DASHBOARD):
            return (
                reverse("assurance:partnership_question", args=[question.slug]) + query,
                "See these figures by agency on the partnership dashboard",
            )
        return super().wider(part, question, query)

    def question_breadcrumbs(self, question: questions.Question) -> list[tuple[str, str | None]]:
        assert self.object is not None
        return _crumbs((self.object.name, self.dashboard_url()), (question.ask, None))


def _team_of(row: PersonCompliance) -> str:
    return f"{row.team_name}, {row.agency_name}"


def _group_of(row: PersonCompliance) -> str:
    return f"{row.staff_group_name}, {row.agency_name}"


class ComplianceView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """Named compliance by team and staff group, within the viewer's own scope (issue 5
    item 2: line managers and agency leads see what is due, with names). A lead's agency can
    hold thousands of people: the list is filtered by team, staff group and need, and paged."""

    permission_required = Permission.VIEW_NAMED_COMPLIANCE
    template_name = "assurance/compliance.html"
    paginate_by = 50

    def rows(self, today: dt.date) -> list[PersonCompliance]:
        user = self.request.user
        return kept_for_wide_scope(
            access_profile(user),
            "staff",
            today,
            lambda: named_compliance_rows(user, today),
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = kwargs.get("fmt")
        if fmt is not None and fmt not in ("csv", "xlsx"):
            raise Http404("No such export format.")
        if fmt in ("csv", "xlsx"):
            today = timezone.localdate()
            return export_response(
                self.request,
                fmt=fmt,
                tables=[named_table(self.rows(today))],
                name="compliance",
                title="Compliance",
                period=selectors.Period(today, today),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = self.rows(today)
        form = ComplianceFilterForm(
            self.request.GET or None,
            teams=sorted({_team_of(r) for r in rows}),
            groups=sorted({_group_of(r) for r in rows}),
        )
        shown = rows
        if form.is_valid():
            data = form.cleaned_data
            shown = [
                r
                for r in rows
                if (not data["team"] or _team_of(r) == data["team"])
                and (not data["staff_group"] or _group_of(r) == data["staff_group"])
                and (not data["attention"] or r.issues)
            ]
        shown = sorted(shown, key=lambda r: (r.agency_name, r.team_name, r.name, r.person_id))
        page = Paginator(shown, self.paginate_by).get_page(self.request.GET.get("page"))
        teams: dict[str, list[PersonCompliance]] = {}
        for row in page.object_list:
            teams.setdefault(_team_of(row), []).append(row)
        by_team = summarise(rows, key=lambda r: (r.agency_name, r.team_name), label=_team_of)
        by_group = summarise(
            rows, key=lambda r: (r.agency_name, r.staff_group_name), label=_group_of
        )
        context.update(
            today=today,
            form=form,
            teams=teams,
            shown_count=len(shown),
            kept=is_wide_scope(access_profile(self.request.user)),
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            total=total(rows),
            summary_tables=[
                Table(
                    key="by_team",
                    caption="By team",
                    columns=selectors.compliance_columns("Team"),
                    rows=selectors.compliance_rows(by_team),
                ),
                Table(
                    key="by_group",
                    caption="By staff group",
                    columns=selectors.compliance_columns("Staff group"),
                    rows=selectors.compliance_rows(by_group),
                ),
            ],
        )
        return context

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(("Compliance", None))


class AgencyObjectMixin:
    kwargs: dict[str, Any]
    object: Agency

    def get_object(self) -> Agency:
        return get_object_or_404(Agency.objects.live(), pk=self.kwargs["pk"])


class AgencySettingsView(AgencyObjectMixin, ServiceFormView):
    """How often the agency asks for evaluation of supervision (default every six months)."""

    permission_required = Permission.CHANGE_AGENCY_SETTINGS
    template_name = "assurance/agency_settings.html"
    form_class = EvaluationSettingsForm
    success_message = "Evaluation frequency saved."

    def get_initial(self) -> dict[str, Any]:
        return {"interval_months": services.evaluation_interval(self.object.pk)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["agency"] = self.object
        return context

    def perform(self, form: EvaluationSettingsForm) -> Any:
        return services.evaluation_settings_update(
            actor=self.actor,
            agency=self.object,
            interval_months=form.cleaned_data["interval_months"],
            origin=self.origin(),
        )

    def get_success_url(self) -> str:
        return reverse("assurance:agency_dashboard", args=[self.object.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            (self.object.name, reverse("assurance:agency_dashboard", args=[self.object.pk])),
            ("Evaluation frequency", None),
        )


class MonthEndRecomputeView(AgencyObjectMixin, ServiceFormView):
    """Recompute one kept month end of the agency's trend, deliberately and with a reason
    (issue 9 item 8): neither the daily task nor an import changes a figure already shown."""

    permission_required = Permission.RECOMPUTE_MONTH_END
    template_name = "assurance/month_end_recompute.html"
    form_class = MonthEndRecomputeForm

    def closed_month_ends(self) -> list[dt.date]:
        today = timezone.localdate()
        return [day for day in month_ends(today) if day < today]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["month_ends"] = self.closed_month_ends()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["agency"] = self.object
        context["can_dashboard"] = self.request.user.has_perm(
            Permission.VIEW_AGENCY_DASHBOARD, self.object
        )
        return context

    def perform(self, form: MonthEndRecomputeForm) -> Any:
        self.day = form.cleaned_data["month_end"]
        return services.compliance_snapshot_recompute(
            actor=self.request.user,
            agency=self.object,
            on=self.day,
            reason=form.cleaned_data["reason"],
            origin=self.origin(),
        )

    def get_success_message(self) -> str:
        return (
            f"Figures for {self.day:%-d %B %Y} recomputed from the records as they stand "
            "today. Dashboards show them within a few minutes."
        )

    def get_success_url(self) -> str:
        return self.request.path

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            (self.object.name, reverse("assurance:agency_dashboard", args=[self.object.pk])),
            ("Recompute month-end figures", None),
        )


class WorkforceView(AgencyObjectMixin, ServiceFormView):
    """The lead enters or corrects the agency's sickness and vacancy figures per quarter."""

    permission_required = Permission.CHANGE_AGENCY_SETTINGS
    template_name = "assurance/workforce_form.html"
    form_class = WorkforceForm
    success_message = "Workforce figures saved."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["today"] = timezone.localdate()
        return kwargs

    def _quarter(self) -> dt.date:
        raw = self.request.GET.get("quarter") or self.request.POST.get("quarter")
        try:
            return quarter_start(dt.date.fromisoformat(raw)) if raw else self._last_quarter()
        except ValueError:
            return self._last_quarter()

    def _last_quarter(self) -> dt.date:
        return quarter_start(quarter_start(timezone.localdate()) - dt.timedelta(days=1))

    def get_initial(self) -> dict[str, Any]:
        quarter = self._quarter()
        found = (
            WorkforceFigure.objects.live().filter(agency=self.object, quarter_start=quarter).first()
        )
        initial: dict[str, Any] = {"quarter": quarter.isoformat()}
        if found:
            initial.update(
                funded_posts=found.funded_posts,
                vacant_posts=found.vacant_posts,
                sickness_days_lost=found.sickness_days_lost,
                work_related_sickness_days_lost=found.work_related_sickness_days_lost,
                version=found.version,
            )
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["agency"] = self.object
        context["figures"] = list(
            WorkforceFigure.objects.live().filter(agency=self.object).order_by("-quarter_start")[:8]
        )
        return context

    def perform(self, form: WorkforceForm) -> Any:
        data = form.cleaned_data
        return services.workforce_figure_save(
            actor=self.request.user,
            agency=self.object,
            quarter=dt.date.fromisoformat(data["quarter"]),
            values={
                name: data[name] or Decimal(0) if "days" in name else data[name]
                for name in services.WORKFORCE_FIELDS
            },
            expected_version=data.get("version"),
            origin=self.origin(),
        )

    def stale_current(self, form: WorkforceForm) -> WorkforceFigure | None:
        return WorkforceFigure.objects.filter(
            agency=self.object, quarter_start=form.cleaned_data["quarter"]
        ).first()

    def get_success_url(self) -> str:
        return reverse("assurance:workforce", args=[self.object.pk])

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            (self.object.name, reverse("assurance:agency_dashboard", args=[self.object.pk])),
            ("Workforce figures", None),
        )
