"""Build the fictional demo partnership (issue 2 "Demo partnership")."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from oversight.core.demo import SCALES, DemoContext, demo_builders, demo_built, demo_sign_ins

DEFAULT_DEMO_PASSWORD = "oversight-demo"  # documented in README: for local use only


class Command(BaseCommand):
    help = "Build a deterministic fictional partnership and print its demo sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--today", type=str, default=None, help="YYYY-MM-DD; default today.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if data exists.")
        parser.add_argument("--json", action="store_true", help="Print the sign-ins as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        if demo_built():
            if not options["if_empty"]:
                raise CommandError(
                    "The database already holds a partnership. Use a fresh database, "
                    "or --if-empty to skip."
                )
            ctx = None
        else:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
            ctx = DemoContext(
                seed=options["seed"],
                today=today,
                scale=options["scale"],
                password_hash=make_password(password),
                log=(lambda m: None) if options["json"] else (lambda m: self.stderr.write(m)),
            )
            for step in ("build", "finish", "settle"):
                for label, build in demo_builders(step):
                    ctx.log(f"Demo {label}: {step}…")
                    started = time.monotonic()
                    if step == "settle":
                        build(ctx)  # after everything is committed; it keeps its own
                    else:
                        with transaction.atomic():
                            build(ctx)
                    ctx.log(f"Demo {label}: {step} took {time.monotonic() - started:.1f} s")
                if step == "build" and connection.vendor == "postgresql":
                    # The finishing steps query tables just filled by COPY; without statistics
                    # the planner guesses, and one month end's compliance took minutes.
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE")
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                # Index-only scans need the visibility map, which only VACUUM sets, and the
                # statistics above miss what the finishing steps wrote. Left to autovacuum,
                # the large demo served a third fewer pages a second in its first hour
                # (issue 17; 17 against 28 requests a second at 10 users, the same code).
                started = time.monotonic()
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM (ANALYZE)")
                ctx.log(f"Demo: vacuum and analyze took {time.monotonic() - started:.1f} s")
        sign_ins = ctx.sign_ins if ctx else demo_sign_ins()
        if options["json"]:
            payload = {
                "password": password,
                "sign_ins": [s.__dict__ for s in sign_ins],
            }
            self.stdout.write(json.dumps(payload, indent=2))
            return
        self.stdout.write(f"Demo sign-ins (password for all: {password})")
        for s in sign_ins:
            self.stdout.write(f"  {s.role:<34} {s.username:<22} {s.description}")
