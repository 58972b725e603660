"""Permission names are one vocabulary (issue 18 item 5): each app lists its rules in a
``Permission`` enum in its ``rules.py``, registers every member with ``rules``, and its views
and navigation name a member of that enum, never a bare string that could be misspelt into a
rule nobody registered (which would refuse everyone)."""

from __future__ import annotations

import importlib
import importlib.util
from enum import StrEnum

import rules
from django.apps import apps

from .test_access_table import PUBLIC_URL_NAMES, _named_patterns


def _enums() -> dict[str, type[StrEnum]]:
    found = {}
    for config in apps.get_app_configs():
        module_name = f"{config.name}.rules"
        if config.name.startswith("oversight.") and importlib.util.find_spec(module_name):
            found[config.label] = importlib.import_module(module_name).Permission
    return found


def test_every_permission_is_registered_and_every_rule_is_in_its_apps_enum() -> None:
    enums = _enums()
    assert set(enums) == {
        "core",
        "people",
        "signin",
        "notifications",
        "children",
        "supervision",
        "contracts",
        "assurance",
        "integrations",
    }
    for label, enum in enums.items():
        for member in enum:
            assert member.startswith(f"{label}."), member
            assert rules.perm_exists(member), f"{member} is not registered with rules"
    registered = set(rules.permissions.permissions)
    named = {str(member) for enum in enums.values() for member in enum}
    assert registered == named


def test_views_name_a_member_of_their_apps_permission_enum() -> None:
    enums = _enums()
    bare = []
    for name, callback in _named_patterns().items():
        view_class = getattr(callback, "view_class", None)
        if name in PUBLIC_URL_NAMES or view_class is None:
            continue
        config = apps.get_containing_app_config(view_class.__module__)
        assert config is not None, name
        required = view_class.permission_required
        for perm in (required,) if isinstance(required, str) else required:
            if not isinstance(perm, enums[config.label]):
                bare.append(f"{name}: {perm!r}")
    assert not bare, f"Views naming a permission outside their app's enum: {bare}"


def test_navigation_names_registered_permissions() -> None:
    for config in apps.get_app_configs():
        for label, _url, perm in getattr(config, "navigation", ()):
            assert perm is None or rules.perm_exists(perm), f"{label}: {perm}"
