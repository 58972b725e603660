from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Turns events and due dates into notifications for the right people, in the product and
    by email (issue 11). Earlier apps tell it of events through ``core.hooks.event``; nothing
    imports it (decision 0001)."""

    name = "oversight.notifications"
    label = "notifications"
    verbose_name = "Notifications"
    on_event = "oversight.notifications.events.on_event"
    header_links = [
        ("Notifications", "notifications:list", "oversight.notifications.selectors.unread_count")
    ]
    # Every quarter of an hour: urgent requests left unanswered past the agency's time.
    frequent_jobs = ["oversight.notifications.tasks.enqueue_frequent"]
    # Each morning: the day's reminders and the daily digests.
    daily_jobs = ["oversight.notifications.tasks.enqueue_daily"]
    # Monday morning: the weekly digests.
    weekly_jobs = ["oversight.notifications.tasks.enqueue_weekly"]
