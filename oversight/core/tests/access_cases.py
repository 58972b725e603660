"""Who may use core's own pages (see oversight/core/rules.py)."""

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

CASES = [AccessCase("glossary", allowed=EVERYONE)]
