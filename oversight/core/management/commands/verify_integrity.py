"""Check every signed record against what was signed and the whole audit chain (issue 10
item 4). Prints what each check covered and the first broken link it found; exits 1 if any
link is broken, so a scheduler or an inspector's script can tell."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.core.integrity import integrity_checks


class Command(BaseCommand):
    help = "Check signed records and the audit log's hash chain; name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = 0
        for check in integrity_checks():
            result = check()
            if result.broken is None:
                self.stdout.write(f"Checked {result.checked} {result.what}: all intact.")
            else:
                broken += 1
                self.stdout.write(
                    f"Checked {result.checked} {result.what}: BROKEN at {result.broken}"
                )
        if broken:
            raise CommandError(f"{broken} check(s) found a broken link.", returncode=1)
