"""How many queries a home page takes, per member of the test cast (issue 17 item 1: build
the panels from one set-based read per kind, decision 0024). Counted over the whole first
request after signing in, as the access table counts every page. Every home is at most 20
(the access table's ceiling); the ceilings here are where each home stands, and only come
down."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

HOME_QUERIES = {
    "practitioner": 15,
    "supervisor": 20,
    "line_manager": 20,
    "agency_lead": 20,
    "auditor": 7,
    "administrator": 8,
    "stranger": 15,
}


@pytest.mark.parametrize("role", sorted(HOME_QUERIES))
def test_home_queries(
    role: str, cast: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.by_name(role))
    with django_assert_max_num_queries(HOME_QUERIES[role], info=f"{role}'s home page"):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "About you" in response.content.decode()
