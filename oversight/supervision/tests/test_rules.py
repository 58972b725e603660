from __future__ import annotations

from typing import Any

import pytest

from oversight.core.testing import ROLE_NAMES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_who_reads_a_record_and_its_wellbeing_section(cast: Any, record: Any, role: str) -> None:
    person = cast.by_name(role)
    session = record.session
    reads = person.has_perm("supervision.view_record", session)
    wellbeing = person.has_perm("supervision.view_wellbeing", session)
    assert reads == (role in {"supervisor", "practitioner", "line_manager", "agency_lead"})
    assert wellbeing == (role in {"supervisor", "practitioner"})


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_the_supervisor_records_and_each_signs_for_themselves(
    cast: Any, record: Any, role: str
) -> None:
    person = cast.by_name(role)
    assert person.has_perm("supervision.save_record", record.session) == (role == "supervisor")
    assert person.has_perm("supervision.sign_as_supervisor", record) == (role == "supervisor")
    record.status = "awaiting_supervisee"
    assert person.has_perm("supervision.sign_as_supervisee", record) == (role == "practitioner")
    record.status = "signed"
    assert not person.has_perm("supervision.save_record", record)
