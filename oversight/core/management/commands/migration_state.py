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


def current_state(executor: MigrationExecutor) -> dict[str, str]:
    graph = executor.loader.graph
    applied = set(executor.loader.applied_migrations)
    state: dict[str, str] = {}
    for app in sorted({app for app, _ in graph.nodes}):
        mine = [node for node in applied if node[0] == app and node in graph.nodes]
        if not mine:
            state[app] = ZERO
            continue
        # The applied migration with the most of its own app's migrations before it.
        last = max(mine, key=lambda node: sum(1 for n in graph.forwards_plan(node) if n[0] == app))
        state[app] = last[1]
    return state


def read_state(path: Path) -> dict[str, str]:
    state: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            raise CommandError(f"{path}, line {number}: expected “app migration”, got {line!r}")
        state[parts[0]] = parts[1]
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
            for app, name in current_state(executor).items():
                self.stdout.write(f"{app} {name}")
            return
        wanted = read_state(Path(options["restore"]))
        graph = executor.loader.graph
        apps = sorted({app for app, _ in graph.nodes})
        unknown = [f"{a} {n}" for a, n in wanted.items() if n != ZERO and (a, n) not in graph.nodes]
        if unknown:
            raise CommandError(f"This release does not have: {', '.join(unknown)}")
        targets = [(app, None if wanted.get(app, ZERO) == ZERO else wanted[app]) for app in apps]
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
