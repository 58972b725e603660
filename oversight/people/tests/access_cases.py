"""Who may use each people-and-organisation URL (see oversight/people/rules.py)."""

from oversight.core.testing import AccessCase

EVERYONE = {
    "practitioner",
    "supervisor",
    "line_manager",
    "agency_lead",
    "other_practitioner",
    "other_supervisor",
    "other_lead",
    "auditor",
    "administrator",
    "stranger",
}

CASES = [
    AccessCase("home", allowed=EVERYONE),
    AccessCase(
        "people:person_list",
        allowed={
            "supervisor",
            "line_manager",
            "agency_lead",
            "other_supervisor",
            "other_lead",
            "administrator",
        },
    ),
    AccessCase(
        "people:person_detail",
        note="a practitioner",
        setup=lambda cast: {"pk": cast.practitioner.pk},
        allowed={"practitioner", "supervisor", "line_manager", "agency_lead", "administrator"},
    ),
    AccessCase(
        "people:person_detail",
        note="a practitioner in another agency",
        setup=lambda cast: {"pk": cast.other_practitioner.pk},
        allowed={"other_practitioner", "other_supervisor", "other_lead", "administrator"},
    ),
    AccessCase("people:agency_list", allowed=EVERYONE),
    AccessCase(
        "people:agency_detail",
        setup=lambda cast: {"pk": cast.agency.pk},
        allowed={
            "practitioner",
            "supervisor",
            "line_manager",
            "agency_lead",
            "stranger",
            "auditor",
            "administrator",
        },
    ),
    AccessCase(
        "people:team_detail",
        setup=lambda cast: {"pk": cast.team.pk},
        allowed={
            "practitioner",
            "supervisor",
            "line_manager",
            "agency_lead",
            "stranger",
            "administrator",
        },
    ),
]
