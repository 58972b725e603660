"""The suite passes on any date (issue 9 item 1): no test module takes the machine's date when
it is imported, where every test in it would then depend on the day CI happens to run. A test
that needs a day pins it (``oversight.core.testing.today_is``); ``make test-dates`` runs the
suite with the whole process's clock moved to several dates."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

TODAY_CALLS = {"localdate", "today", "now"}


def _calls_today(node: ast.AST) -> bool:
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in TODAY_CALLS
        for call in ast.walk(node)
    )


def _read_at_import(tree: ast.Module) -> list[int]:
    """Lines where a module-level statement, or a default argument (evaluated at import),
    reads today's date or time."""
    lines = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and _calls_today(statement):
            lines.append(statement.lineno)
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            defaults = [*statement.args.defaults, *statement.args.kw_defaults]
            if any(d is not None and _calls_today(d) for d in defaults):
                lines.append(statement.lineno)
    return lines


def test_no_test_module_takes_todays_date_at_import() -> None:
    root = Path(settings.BASE_DIR)
    found = {
        f"{path.relative_to(root)}:{line}"
        for path in root.glob("oversight/**/tests/*.py")
        for line in _read_at_import(ast.parse(path.read_text()))
    }
    assert not found, f"pin the day instead (core.testing.today_is): {sorted(found)}"


def test_the_check_finds_a_module_that_reads_today_at_import() -> None:
    tree = ast.parse(
        "from django.utils import timezone\n"
        "TODAY = timezone.localdate()\n"
        "def row_of(person, on=timezone.localdate()): ...\n"
    )
    assert _read_at_import(tree) == [2, 3]
