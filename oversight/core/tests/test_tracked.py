"""Tracked records: stamped on create, versioned on update, a stale edit refused."""

from __future__ import annotations

from typing import Any

import pytest

from oversight.core.services import StaleEditError, tracked_archive, tracked_edit


def test_tracked_edit_refuses_a_stale_version(cast: Any) -> None:
    team = cast.team
    team.name = "First save"
    tracked_edit(team, actor=cast.administrator, expected_version=1)
    assert team.version == 2 and team.modified_by == cast.administrator
    stale = type(team).objects.get(pk=team.pk)
    stale.version = 1
    stale.name = "Second save from an old form"
    with pytest.raises(StaleEditError):
        tracked_edit(stale, actor=cast.administrator, expected_version=1)
    team.refresh_from_db()
    assert team.name == "First save"


def test_archive_needs_a_reason_and_keeps_the_row(cast: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        tracked_archive(cast.team, actor=cast.administrator, reason="")
    tracked_archive(cast.team, actor=cast.administrator, reason="Merged")
    assert type(cast.team).objects.archived().filter(pk=cast.team.pk).exists()


def test_an_edit_without_its_version_is_refused_and_saves_nothing(cast: Any) -> None:
    """Issue 10 item 8: a crafted save that leaves the version out must not overwrite."""
    from oversight.core.services import VersionMissingError

    team = type(cast.team).objects.get(pk=cast.team.pk)
    team.name = "Crafted without a version"
    with pytest.raises(VersionMissingError):
        tracked_edit(team, actor=cast.administrator, expected_version=None)
    team.refresh_from_db()
    assert team.name != "Crafted without a version" and team.version == 1
