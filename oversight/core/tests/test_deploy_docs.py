"""docs/deploy.md names every environment variable the settings and gunicorn.conf.py read, and
the systemd units run the three processes it describes (issue 14 item 3)."""

from __future__ import annotations

import re

from .processes import ROOT

READS = re.compile(
    r"""(?:env(?:\.[a-z_]+)?|environ(?:\.get|\.setdefault)?)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def test_every_environment_variable_is_in_the_deployment_guide() -> None:
    sources = [*sorted((ROOT / "oversight" / "settings").glob("*.py")), ROOT / "gunicorn.conf.py"]
    names = {
        name
        for source in sources
        for name in READS.findall(source.read_text())
        if not name.startswith("TEST_")
    }
    assert {"SECRET_KEY", "DATABASE_URL", "WEB_CONCURRENCY", "GUNICORN_THREADS"} <= names
    guide = (ROOT / "docs" / "deploy.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in guide)
    assert not missing, f"docs/deploy.md does not describe: {missing}"


def test_the_units_run_the_three_processes_from_the_release() -> None:
    units = ROOT / "deploy" / "systemd"
    expected = {
        "oversight-web.service": "/.venv/bin/gunicorn --config ",
        "oversight-worker@.service": "/.venv/bin/python manage.py db_worker --no-reload",
        "oversight-scheduler.service": "/.venv/bin/python manage.py crontask",
    }
    for name, command in expected.items():
        text = (units / name).read_text()
        assert "EnvironmentFile=/etc/oversight/oversight.env" in text
        assert "WorkingDirectory=/srv/oversight/current" in text
        assert "User=oversight" in text
        assert f"ExecStart=/srv/oversight/current{command}" in text
