from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "oversight.supervision"
    label = "supervision"
    verbose_name = "Supervision sessions and records"
    navigation = [("Supervision", "supervision:session_list", "supervision.list_sessions")]
    on_supervision_relationship_ended = "oversight.supervision.services.handover.session_handover"
    # A change of legal status counts in the day tallies (decision 0033).
    on_child_status_changed = "oversight.supervision.services.tallies.on_child_status_changed"
    # What children reads of supervision's records (children.discussions, decision 0001).
    child_discussions = "oversight.supervision.selectors.case_discussions_live"
    child_decisions = "oversight.supervision.selectors.decisions_live"
    # The path from a case discussion to the agency whose supervision it took place in: the
    # multi-agency summary shows each agency's last discussion date and rating (issue 13).
    # The discussion names it itself (decision 0032).
    child_discussion_agency = "agency"
    daily_jobs = ["oversight.supervision.tasks.enqueue_daily"]
    # What manage.py verify_integrity checks of supervision (issue 10 item 4).
    integrity_checks = [
        "oversight.supervision.integrity.signed_records_check",
        "oversight.supervision.integrity.discussion_agencies_check",
        "oversight.supervision.integrity.day_tallies_check",
    ]
