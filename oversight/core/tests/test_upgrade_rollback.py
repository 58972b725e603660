"""docs/deploy.md's upgrade and rollback, run as written (issue 14 item 3; decision 0019).

A fresh PostgreSQL database is brought to the previous release's migrations, the guide's
``<!-- upgrade: migrate -->`` block upgrades it, and its ``<!-- upgrade: roll back -->``
block takes it back. The previous release here is this one without each of our apps' last
migration (and what depends on it): the most a release adds in practice, and every one of
those migrations must then be undoable. The database and role it makes are removed after."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

from oversight.core.management.commands.migration_state import leaves

from .processes import ROOT, needs_postgresql, not_under_faketime

GUIDE = Path(ROOT) / "docs" / "deploy.md"


def _block(marker: str) -> str:
    found = re.search(rf"<!-- upgrade: {marker} -->\n```sh\n(.*?)```\n", GUIDE.read_text(), re.S)
    assert found, f"docs/deploy.md has no <!-- upgrade: {marker} --> block"
    return found.group(1)


def previous_release_state() -> dict[str, list[str]]:
    """Each app's migrations in the previous release: our apps one migration back (and
    whatever depends on the migrations taken away), the libraries' as they are. An app
    whose last migration merged two branches stands at both branches' ends."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    ours = {a.split(".")[-1] for a in settings.INSTALLED_APPS if a.startswith("oversight.")}
    removed: set[tuple[str, str]] = set()
    for leaf in graph.leaf_nodes():
        if leaf[0] in ours:
            removed |= set(graph.backwards_plan(leaf))  # the leaf and all that depends on it
    kept = {node for node in graph.nodes if node not in removed}
    return {
        app: leaves(graph, kept, app) or ["zero"] for app in sorted({a for a, _ in graph.nodes})
    }


@needs_postgresql
@not_under_faketime
@pytest.mark.skipif(shutil.which("psql") is None, reason="needs PostgreSQL's client programs")
def test_the_guides_upgrade_and_rollback_work_on_a_fresh_database(tmp_path: Path) -> None:
    db = settings.DATABASES["default"]
    base = str(db["NAME"]).removeprefix("test_")
    suffix = secrets.token_hex(3)
    name, app_role = f"{base}_upgrade_{suffix}", f"{base}_upgrade_app_{suffix}"
    pg = {
        "PGHOST": db.get("HOST") or "127.0.0.1",
        "PGPORT": str(db.get("PORT") or 5432),
        "PGUSER": db.get("USER") or "postgres",
        **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {}),
    }
    owner_url = (
        f"postgres://{pg['PGUSER']}:{db.get('PASSWORD') or ''}@{pg['PGHOST']}:{pg['PGPORT']}/{name}"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)},
        **pg,
        "DJANGO_SETTINGS_MODULE": "oversight.settings.test",
        "DATABASE_URL": owner_url,  # the environment file's; the owner's here as well
        "VERSION": "next",
        "RELEASES": str(tmp_path / "releases"),
        "BACKUP_DIR": str(tmp_path),
        "OVERSIGHT_DB": name,
        "OVERSIGHT_OWNER": pg["PGUSER"],
        "OWNER_PASSWORD": db.get("PASSWORD") or "",
        "OVERSIGHT_APP": app_role,
        "DB_HOST": pg["PGHOST"],
        "DB_PORT": pg["PGPORT"],
    }

    def run(*command: str) -> str:
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
        return result.stdout

    manage = [str(Path(ROOT) / ".venv" / "bin" / "python"), "manage.py"]
    previous = tmp_path / "previous.migrations"
    previous.write_text(
        "".join(f"{a} {n}\n" for a, names in previous_release_state().items() for n in names)
    )
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "next").symlink_to(ROOT)  # this checkout is the new release
    run("createdb", name)
    run("psql", "-d", "postgres", "-qc", f'CREATE ROLE "{app_role}" LOGIN')
    try:
        # The previous release, as its deployment left the database.
        run(*manage, "migration_state", "--restore", str(previous))
        assert run(*manage, "migration_state") == previous.read_text()

        run("bash", "-euc", _block("migrate"))
        assert (tmp_path / "before-next.migrations").read_text() == previous.read_text()
        run(*manage, "migrate", "--check")  # nothing left to apply

        output = run("bash", "-euc", _block("roll back"))
        assert "Undoing" in output
        assert run(*manage, "migration_state") == previous.read_text()
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", name], env=env, check=False)
        subprocess.run(
            ["psql", "-d", "postgres", "-qc", f'DROP ROLE IF EXISTS "{app_role}"'],
            env=env,
            check=False,
        )
