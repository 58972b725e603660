"""Screenshots of the assurance dashboards for docs/screenshots/ (issue 12 acceptance).

Rerun against the demo:

    make migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python scripts/screenshots_dashboards.py http://127.0.0.1:8000

It signs in as the demo's partnership auditor and children's services lead (password
``oversight-demo``; the second factor's code comes from the demo's authenticator key in the
database) and saves each dashboard, and one question page, at 1280 and 320 px wide. Uses
Debian's chromium, as the browser tests do."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "oversight-demo"
WIDTHS = (1280, 320)


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings.development")
    # Playwright's sync API runs an event loop; this script reads the database beside it,
    # one step at a time, which Django then allows.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()


def _code(username: str) -> str:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return ""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _pages(username: str) -> list[tuple[str, str]]:
    from django.urls import reverse

    from oversight.people.models import Person
    from oversight.people.selectors import access_profile

    if username == "auditor":
        return [
            ("partnership-dashboard", reverse("assurance:partnership_dashboard")),
            (
                "partnership-question",
                reverse("assurance:partnership_question", args=["staff-supervised"]),
            ),
        ]
    agency = min(access_profile(Person.objects.get(username=username)).led_agency_ids)
    return [
        ("agency-dashboard", reverse("assurance:agency_dashboard", args=[agency])),
        (
            "agency-question",
            reverse("assurance:agency_question", args=[agency, "staff-supervised"]),
        ),
    ]


def main(base: str) -> None:
    _setup()
    from playwright.sync_api import sync_playwright

    from oversight.core.testing import CHROMIUM, CHROMIUM_ARGS

    OUT.mkdir(parents=True, exist_ok=True)
    people = {name: _pages(name) for name in ("auditor", "lead.csc")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for username, pages in people.items():
            context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
            page = context.new_page()
            page.goto(f"{base}/account/sign-in/")
            page.get_by_label("Username or email address").fill(username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in", exact=True).click()
            page.wait_for_load_state()
            if "second-factor" in page.url:
                page.get_by_label("Code", exact=True).fill(_code(username))
                page.get_by_role("button", name="Continue").click()
                page.wait_for_load_state()
            for name, path in pages:
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 800})
                    page.goto(f"{base}{path}")
                    target = OUT / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    sys.stdout.write(f"{target.relative_to(ROOT)}\n")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
