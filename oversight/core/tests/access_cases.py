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

CASES = [
    AccessCase("glossary", allowed=EVERYONE),
    AccessCase("kept_typing", allowed=EVERYONE),
    AccessCase("kept_typing", allowed=EVERYONE, method="post", data={"discard": "0"}),
    AccessCase("still_here", allowed=EVERYONE, method="post"),
]
