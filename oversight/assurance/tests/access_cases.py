"""Who may use each assurance URL (see oversight/assurance/rules.py)."""

from typing import Any

from oversight.core.testing import AccessCase

from .factories import AuditedRecordFactory, RecordAuditFactory

MEMBERS = {
    "practitioner",
    "supervisor",
    "line_manager",
    "agency_lead",
    "other_practitioner",
    "other_supervisor",
    "other_lead",
    "stranger",
}
PARTNERSHIP_VIEW = {"auditor", "agency_lead", "other_lead"}
OWN_LEAD = {"agency_lead"}
AUDITORS_OF_AGENCY = {"auditor", "agency_lead"}


def _agency(cast: Any) -> dict[str, Any]:
    return {"pk": cast.agency.pk}


def _audit(cast: Any) -> dict[str, Any]:
    audit: Any = RecordAuditFactory(agency=cast.agency, drawn_by=cast.auditor)
    return {"pk": audit.pk}


def _item(cast: Any) -> dict[str, Any]:
    audit = RecordAuditFactory(agency=cast.agency, drawn_by=cast.auditor)
    item: Any = AuditedRecordFactory(
        audit=audit,
        record__session__supervisor=cast.supervisor,
        record__session__supervisee=cast.practitioner,
    )
    return {"pk": item.pk}


def _question(slug: str, agency: str = "") -> Any:
    """A question page's arguments: its slug and, for an agency's, the cast's agency named."""

    def setup(cast: Any) -> dict[str, Any]:
        return {"slug": slug, **({"pk": getattr(cast, agency).pk} if agency else {})}

    return setup


def _audited_child(cast: Any) -> dict[str, Any]:
    from oversight.assurance.models import AuditedChild
    from oversight.children.tests.factories import ChildFactory

    audit: Any = RecordAuditFactory(agency=None, multi_agency=True, drawn_by=cast.auditor)
    child: Any = ChildFactory(agency=cast.agency)
    sampled = AuditedChild.objects.create(audit=audit, child=child, stratum="high")
    return {"pk": sampled.pk}


def _multi_agency_audit(cast: Any) -> dict[str, Any]:
    audit: Any = RecordAuditFactory(agency=None, multi_agency=True, drawn_by=cast.auditor)
    return {"pk": audit.pk}


def _format(fmt: str, **extra: Any) -> Any:
    return lambda cast: {"fmt": fmt, **{k: v(cast) for k, v in extra.items()}}


def _relationship(cast: Any) -> dict[str, Any]:
    return {"pk": cast.practitioner.supervisions_received.get().pk}


def _overnight(setup: Any = None) -> Any:
    """A dashboard's first visit of the day: the nightly job (``assurance_trend_warm``) has
    kept the day's figures before anyone arrives, so the page reads them (issue 17 item 2;
    decision 0023). What a page costs with nothing kept is held apart, and not to grow with
    the data, by ``test_dashboards.test_query_count_does_not_grow_with_data``."""

    def run(cast: Any) -> dict[str, Any]:
        from oversight.assurance.tasks import assurance_trend_warm

        kwargs = setup(cast) if setup else {}
        assurance_trend_warm.call()
        return kwargs

    return run


CASES = [
    AccessCase("assurance:index", allowed=MEMBERS | {"auditor"}),
    AccessCase("assurance:partnership_dashboard", setup=_overnight(), allowed=PARTNERSHIP_VIEW),
    *[
        AccessCase(
            "assurance:partnership_export",
            note=fmt,
            setup=_overnight(_format(fmt)),
            allowed=PARTNERSHIP_VIEW,
        )
        for fmt in ("csv", "xlsx", "pdf")
    ],
    *[
        AccessCase(
            "assurance:partnership_question",
            note=slug,
            setup=_overnight(_question(slug)),
            allowed=PARTNERSHIP_VIEW,
        )
        for slug in ("staff-supervised", "drift", "wellbeing")
    ],
    AccessCase("assurance:agency_dashboard", setup=_overnight(_agency), allowed=OWN_LEAD),
    *[
        AccessCase(
            "assurance:agency_question",
            note=slug,
            setup=_overnight(_question(slug, "agency")),
            allowed=OWN_LEAD,
        )
        for slug in ("staff-supervised", "decisions-on-file", "case-discussions")
    ],
    AccessCase(
        "assurance:agency_question",
        note="another agency",
        setup=_overnight(_question("children-discussed", "other_agency")),
        allowed={"other_lead"},
    ),
    AccessCase(
        "assurance:agency_dashboard",
        note="another agency",
        setup=_overnight(lambda cast: {"pk": cast.other_agency.pk}),
        allowed={"other_lead"},
    ),
    *[
        AccessCase(
            "assurance:agency_export",
            note=fmt,
            setup=_overnight(_format(fmt, pk=lambda cast: cast.agency.pk)),
            allowed=OWN_LEAD,
        )
        for fmt in ("csv", "xlsx", "pdf")
    ],
    AccessCase("assurance:agency_settings", setup=_agency, allowed=OWN_LEAD),
    AccessCase("assurance:workforce", setup=_agency, allowed=OWN_LEAD),
    AccessCase(
        "assurance:month_end_recompute",
        setup=_agency,
        allowed=OWN_LEAD | {"administrator"},
    ),
    AccessCase(
        "assurance:month_end_recompute",
        note="post",
        method="post",
        setup=_agency,
        allowed=OWN_LEAD | {"administrator"},
    ),
    AccessCase("assurance:audit_draw", setup=_agency, allowed=AUDITORS_OF_AGENCY),
    AccessCase("assurance:compliance", allowed={"line_manager", "agency_lead", "other_lead"}),
    AccessCase(
        "assurance:my_people",
        allowed={"supervisor", "line_manager", "agency_lead", "other_supervisor"},
        note="those with supervisees or reports",
    ),
    *[
        AccessCase(
            "assurance:compliance_export",
            note=fmt,
            setup=_format(fmt),
            allowed={"line_manager", "agency_lead", "other_lead"},
        )
        for fmt in ("csv", "xlsx")
    ],
    AccessCase("assurance:evaluation_list", allowed=MEMBERS),
    AccessCase(
        "assurance:evaluation_form",
        note="the practitioner's own supervision",
        setup=_relationship,
        allowed={"practitioner"},
    ),
    AccessCase(
        "assurance:evaluation_results",
        allowed={"supervisor", "agency_lead", "other_supervisor"},
    ),
    AccessCase("assurance:pulse", allowed=MEMBERS, note="each is sent to their own agency's pulse"),
    AccessCase(
        "assurance:agency_pulse",
        setup=_agency,
        allowed=MEMBERS - {"other_practitioner", "other_supervisor", "other_lead"},
        note="people with a post in that agency; the other agency's staff are refused",
    ),
    AccessCase("assurance:audit_list", allowed=PARTNERSHIP_VIEW),
    AccessCase("assurance:audit_detail", setup=_audit, allowed=AUDITORS_OF_AGENCY),
    AccessCase(
        "assurance:audit_complete",
        method="post",
        setup=_audit,
        allowed=AUDITORS_OF_AGENCY,
    ),
    AccessCase("assurance:audited_record", setup=_item, allowed=AUDITORS_OF_AGENCY),
    # Issue 13 item 5: the multi-agency audit has no agency, so no lead's rule opens it.
    AccessCase("assurance:multi_agency_audit_draw", allowed={"auditor"}),
    AccessCase(
        "assurance:audit_detail",
        setup=_multi_agency_audit,
        allowed={"auditor"},
        note="a multi-agency audit",
    ),
    AccessCase("assurance:audited_child", setup=_audited_child, allowed={"auditor"}),
]
