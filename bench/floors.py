"""Each headline figure against the leanest SQL for it, timed in the same run (issue 17 item 4):
how far our code (the selectors the pages call) is from the floor. Not a test: it prints, per
figure, p50 and p95 of ours and of the floor, the ratio of the medians, and whether both gave
the same answer. Target: within 2x.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.floors [--runs 15] [--only NAME]

The floors are plain SQL written by hand for PostgreSQL (below). What the database cannot know
is passed in as parameters, as our code also works it out in Python: the policy defaults, and
for the cadence each agency's ceiling and the first day of the review window of each meeting
day whose window has opened (working days need the bank holidays)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings.development")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.bench import percentile, say  # noqa: E402
from oversight.assurance.compliance import compliance_for, total  # noqa: E402
from oversight.assurance.selectors.staff_compliance import figures_on, group_of  # noqa: E402
from oversight.children import selectors as children  # noqa: E402
from oversight.children.cadence import DUE_SOON_DAYS  # noqa: E402
from oversight.children.models import CADENCE_STATUSES, Child  # noqa: E402
from oversight.children.selectors.paged import _open_windows  # noqa: E402
from oversight.contracts.models import GROUP_SESSION_TYPES, SupervisionPolicy  # noqa: E402
from oversight.people.models import Agency, Person  # noqa: E402
from oversight.people.selectors import access_profile  # noqa: E402

# --- Floor 1: partnership "% supervised within interval" -------------------------------------

STAFF_FLOOR = """
WITH posts AS (
    SELECT m.person_id, m.agency_id, m.staff_group_id, m.starts_on,
        m.new_starter <> '' AND (m.new_starter_until IS NULL OR %(on)s <= m.new_starter_until) AS ns
    FROM people_membership m
    WHERE m.archived_at IS NULL AND m.starts_on <= %(on)s
        AND (m.ends_on IS NULL OR m.ends_on >= %(on)s)
),
policies AS (
    SELECT DISTINCT ON (agency_id, staff_group_id) agency_id, staff_group_id, interval_days,
        new_starter_interval_days, counted_session_types
    FROM contracts_supervisionpolicy
    WHERE archived_at IS NULL AND effective_from <= %(on)s
    ORDER BY agency_id, staff_group_id, effective_from DESC, id DESC
),
chosen AS (
    SELECT p.person_id, p.starts_on,
        CASE WHEN p.ns THEN COALESCE(g.new_starter_interval_days, a.new_starter_interval_days,
            %(ns_interval)s) ELSE COALESCE(g.interval_days, a.interval_days, %(interval)s)
        END AS interval_days,
        COALESCE(g.counted_session_types, a.counted_session_types, %(counted)s::jsonb) AS counted
    FROM posts p
    LEFT JOIN policies g ON g.agency_id = p.agency_id AND g.staff_group_id = p.staff_group_id
    LEFT JOIN policies a ON a.agency_id = p.agency_id AND a.staff_group_id IS NULL
)
SELECT COUNT(*),
    COUNT(*) FILTER (WHERE COALESCE(last.held_on, c.starts_on) + c.interval_days >= %(on)s)
FROM chosen c
LEFT JOIN LATERAL (
    SELECT MAX(held_on) AS held_on FROM (
        SELECT (SELECT s.held_on FROM supervision_session s
                WHERE s.supervisee_id = c.person_id AND s.session_type = t.kind
                    AND s.status = 'held' AND s.archived_at IS NULL AND s.held_on <= %(on)s
                ORDER BY s.held_on DESC LIMIT 1) AS held_on
        FROM jsonb_array_elements_text(c.counted) AS t(kind)
        WHERE t.kind <> ALL(%(groups)s)
        UNION ALL
        SELECT MAX(s.held_on)
        FROM supervision_sessionattendance sa
        JOIN supervision_session s ON s.id = sa.session_id
        WHERE sa.person_id = c.person_id AND sa.attended AND s.archived_at IS NULL
            AND s.status = 'held' AND s.held_on <= %(on)s
            AND c.counted ?| %(groups)s AND c.counted ? s.session_type
    ) held
) last ON TRUE
"""


def staff_ours(on: dt.date) -> tuple[int, int]:
    agencies = list(Agency.objects.values_list("pk", flat=True))
    group = total(compliance_for(on=on, agency_ids=agencies))
    return group.people, group.within_interval


def staff_kept(on: dt.date, today: dt.date) -> tuple[int, int]:
    """What the dashboards read for a closed day: the kept rows (decision 0023), summed."""
    agencies = list(Agency.objects.order_by("pk"))
    kept = figures_on(agencies, on, today)
    counts = [group_of("", kept[a.pk]["counts"]) for a in agencies]
    return sum(g.people for g in counts), sum(g.within_interval for g in counts)


def staff_floor(on: dt.date) -> tuple[int, int]:
    defaults = SupervisionPolicy()
    import json

    with connection.cursor() as cursor:
        cursor.execute(
            STAFF_FLOOR,
            {
                "on": on,
                "interval": defaults.interval_days,
                "ns_interval": defaults.new_starter_interval_days,
                "counted": json.dumps(defaults.counted_session_types),
                "groups": sorted(GROUP_SESSION_TYPES),
            },
        )
        people, within = cursor.fetchone()
    return people, within


# --- Floors 2 and 3: the cadence of children --------------------------------------------------

CADENCE_FLOOR = """
WITH kids AS (
    SELECT c.id, c.display_name, c.agency_id,
        GREATEST(COALESCE(c.legal_status_since, (timezone(%(tz)s, c.created_at))::date),
            d.last_on) AS start_on,
        d.last_on, nm.next_on, pm.prev_on
    FROM children_child c
    LEFT JOIN LATERAL (
        SELECT cd.discussed_on AS last_on FROM supervision_casediscussion cd
        WHERE cd.child_id = c.id AND cd.archived_at IS NULL AND cd.discussed_on <= %(today)s
        ORDER BY cd.discussed_on DESC LIMIT 1
    ) d ON TRUE
    LEFT JOIN LATERAL (
        SELECT r.meets_on AS next_on FROM children_reviewmeeting r
        WHERE r.child_id = c.id AND r.archived_at IS NULL AND r.meets_on >= %(today)s
        ORDER BY r.meets_on LIMIT 1
    ) nm ON TRUE
    LEFT JOIN LATERAL (
        SELECT r.meets_on AS prev_on FROM children_reviewmeeting r
        WHERE r.child_id = c.id AND r.archived_at IS NULL AND r.meets_on < %(today)s
        ORDER BY r.meets_on DESC LIMIT 1
    ) pm ON TRUE
    WHERE c.archived_at IS NULL AND c.legal_status = ANY(%(statuses)s) {scope}
),
due AS (
    SELECT k.id, k.display_name, k.agency_id, k.last_on,
        CASE WHEN k.next_on IS NOT NULL AND k.next_on < k.start_on + ceiling.days
            AND NOT COALESCE(k.last_on >= w.opens_on
                AND (k.prev_on IS NULL OR k.last_on > k.prev_on), FALSE)
        THEN k.next_on ELSE k.start_on + ceiling.days END AS due_on
    FROM kids k
    JOIN (SELECT * FROM unnest(%(ceiling_agency)s::bigint[], %(ceiling_days)s::int[])
        AS x(agency_id, days)) ceiling ON ceiling.agency_id = k.agency_id
    LEFT JOIN (SELECT * FROM unnest(%(window_agency)s::bigint[], %(window_meets)s::date[],
        %(window_opens)s::date[]) AS x(agency_id, meets_on, opens_on)) w
        ON w.agency_id = k.agency_id AND w.meets_on = k.next_on
)
"""

CHILDREN_FIGURE = (
    CADENCE_FLOOR + "SELECT COUNT(*), COUNT(*) FILTER (WHERE due_on >= %(today)s) FROM due"
)

DUE_PANEL = (
    CADENCE_FLOOR
    + """
SELECT 0, COUNT(*) FILTER (WHERE due_on < %(today)s),
    COUNT(*) FILTER (WHERE due_on BETWEEN %(today)s AND %(soon)s), NULL::bigint[], NULL::bigint[]
FROM due
UNION ALL
SELECT 1, NULL, NULL,
    ARRAY(SELECT id FROM due WHERE due_on < %(today)s
        ORDER BY due_on, display_name COLLATE "C", id LIMIT 10),
    ARRAY(SELECT id FROM due WHERE due_on BETWEEN %(today)s AND %(soon)s
        ORDER BY due_on, display_name COLLATE "C", id LIMIT 10)
"""
)


def _cadence_params(today: dt.date, agency_ids: set[int]) -> dict[str, Any]:
    rules = children.agency_rules(agency_ids, on=today)
    windows = [
        (agency_id, meets_on, opens_on)
        for agency_id, rule in rules.items()
        for meets_on, opens_on in _open_windows(rule, today)
    ]
    return {
        "tz": timezone.get_current_timezone_name(),
        "today": today,
        "soon": today + dt.timedelta(days=DUE_SOON_DAYS),
        "statuses": sorted(CADENCE_STATUSES),
        "ceiling_agency": list(rules),
        "ceiling_days": [rule.ceiling_days for rule in rules.values()],
        "window_agency": [w[0] for w in windows],
        "window_meets": [w[1] for w in windows],
        "window_opens": [w[2] for w in windows],
    }


def children_ours(today: dt.date) -> tuple[int, int]:
    agencies = set(Agency.objects.values_list("pk", flat=True))
    figures = children.cadence_figures(agency_ids=agencies, on=today)
    return figures.in_cadence, figures.within_cadence


def children_floor(today: dt.date) -> tuple[int, int]:
    agencies = set(Agency.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(CHILDREN_FIGURE.format(scope=""), _cadence_params(today, agencies))
        return cursor.fetchone()


def panel_ours(today: dt.date, lead: Person) -> tuple[Any, ...]:
    lead = Person.objects.get(pk=lead.pk)  # a fresh access profile, as each request has
    lists = children.children_due_for(lead, today=today)
    return (
        lists.overdue_count,
        lists.due_soon_count,
        [r.child.pk for r in lists.overdue[:10]],
        [r.child.pk for r in lists.due_soon[:10]],
    )


def panel_floor(today: dt.date, lead: Person) -> tuple[Any, ...]:
    profile = access_profile(lead)
    people = sorted({lead.pk} | set(profile.supervisee_ids) | set(profile.report_ids))
    led = sorted(profile.led_agency_ids)
    agencies = set(
        Child.objects.filter(agency_id__in=led).values_list("agency_id", flat=True).distinct()
    ) | set(
        Child.objects.filter(allocated_practitioner_id__in=people)
        .values_list("agency_id", flat=True)
        .distinct()
    )
    params = _cadence_params(today, agencies)
    params.update(people=people, led=led)
    scope = "AND (c.allocated_practitioner_id = ANY(%(people)s) OR c.agency_id = ANY(%(led)s))"
    with connection.cursor() as cursor:
        cursor.execute(DUE_PANEL.format(scope=scope), params)
        found = cursor.fetchall()
    counts = next(r for r in found if r[0] == 0)
    lists = next(r for r in found if r[0] == 1)
    return counts[1], counts[2], list(lists[3]), list(lists[4])


def timed(work: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    times, answer = [], None
    for _ in range(runs):
        start = time.perf_counter()
        answer = work()
        times.append((time.perf_counter() - start) * 1000)
    return times, answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        say("The floors are PostgreSQL SQL: set DATABASE_URL to the large demo's database.")
        return 1
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    lead = Person.objects.get(username="lead.csc")
    figures = [
        ("% supervised within interval", lambda: staff_ours(today), lambda: staff_floor(today)),
        (
            "% supervised, kept (yesterday)",
            lambda: staff_kept(yesterday, today),
            lambda: staff_floor(yesterday),
        ),
        (
            "% children in need within cadence",
            lambda: children_ours(today),
            lambda: children_floor(today),
        ),
        (
            "lead's children-due panel",
            lambda: panel_ours(today, lead),
            lambda: panel_floor(today, lead),
        ),
    ]
    say(
        f"Floors on {today:%-d %B %Y}; runs per side: {args.runs} (after one warm-up each), "
        f"alternating. Load average: {os.getloadavg()[0]:.2f}"
    )
    say(
        f"{'figure':<36} {'ours p50':>8} {'ours p95':>8} {'floor p50':>9} {'floor p95':>9} "
        f"{'ratio':>6} same"
    )
    for name, ours, floor in figures:
        if args.only and args.only not in name:
            continue
        ours(), floor()  # warm-up
        ours_times: list[float] = []
        floor_times: list[float] = []
        ours_answer: Any = None
        floor_answer: Any = None
        for _ in range(args.runs):
            t, ours_answer = timed(ours, 1)
            ours_times += t
            t, floor_answer = timed(floor, 1)
            floor_times += t
        ratio = statistics.median(ours_times) / statistics.median(floor_times)
        same = "yes" if tuple(ours_answer) == tuple(floor_answer) else "NO"
        say(
            f"{name:<36} {statistics.median(ours_times):>8.0f} {percentile(ours_times, 0.95):>8.0f}"
            f" {statistics.median(floor_times):>9.0f} {percentile(floor_times, 0.95):>9.0f}"
            f" {ratio:>5.1f}x {same}"
        )
        if same == "NO":
            say(f"    ours: {ours_answer}\n    floor: {floor_answer}")
    say(f"Load average at the end: {os.getloadavg()[0]:.2f}. Times in ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
