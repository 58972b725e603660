"""Where each app's schema stands, and putting it back (docs/deploy.md, "Upgrading, and
rolling back"; decision 0019).

``manage.py migration_state`` prints one line per app with migrations: the app and its last
applied migration, or ``zero``. Run before an upgrade's ``migrate``, it records the old
release's state. ``manage.py migration_state --restore FILE`` migrates every app to the
state FILE records, in one plan: after an upgrade, with the new release's code (it holds
the migrations to undo), as the owner role. An app the file does not name (new in the new
release) goes to zero. It also brings an empty database forward to a recorded state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

ZERO = "zero"


def leaves(graph: Any, nodes: set[tuple[str, str]], app: str) -> list[str]:
    """The app's migrations among ``nodes`` that no other of them depends on: one when the
    app's history is a line, two or more while branches wait for their merge migration."""
    mine = [node for node in nodes if node[0] == app]
    before: set[tuple[str, str]] = set()
    for node in mine:
        before |= {n for n in graph.forwards_plan(node) if n != node and n[0] == app}
    return sorted(name for _, name in (node for node in mine if node not in before))


def current_state(executor: MigrationExecutor) -> dict[str, list[str]]:
    graph = executor.loader.graph
    applied = {node for node in executor.loader.applied_migrations if node in graph.nodes}
    return {
        app: leaves(graph, applied, app) or [ZERO] for app in sorted({a for a, _ in graph.nodes})
    }


def read_state(path: Path) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            raise CommandError(f"{path}, line {number}: expected “app migration”, got {line!r}")
        state.setdefault(parts[0], []).append(parts[1])
    return state


class Command(BaseCommand):
    help = "Print each app's last applied migration, or migrate every app back to a printed state."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--restore", metavar="FILE", help="migrate to the state in FILE")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        executor = MigrationExecutor(connection)
        if not options["restore"]:
            for app, names in current_state(executor).items():
                for name in names:
                    self.stdout.write(f"{app} {name}")
            return
        wanted = read_state(Path(options["restore"]))
        graph = executor.loader.graph
        apps = sorted({app for app, _ in graph.nodes})
        unknown = [
            f"{a} {n}"
            for a, names in wanted.items()
            for n in names
            if n != ZERO and (a, n) not in graph.nodes
        ]
        if unknown:
            raise CommandError(f"This release does not have: {', '.join(unknown)}")
        # An app stands at each of its listed migrations (two while branches await a merge).
        targets = [
            (app, None if name == ZERO else name)
            for app in apps
            for name in wanted.get(app, [ZERO])
        ]
        plan = executor.migration_plan(targets)
        if not plan:
            self.stdout.write("Every app is already at that state.")
            return
        backwards = {backward for _, backward in plan}
        if len(backwards) > 1:
            raise CommandError("That state needs migrations undone and applied at once: do each.")
        for migration, backward in plan:
            self.stdout.write(
                f"{'Undoing' if backward else 'Applying'} {migration.app_label} {migration.name}"
            )
        executor.migrate(targets, plan=plan)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(plan)} migrations {'undone' if backwards == {True} else 'applied'}."
            )
        )
