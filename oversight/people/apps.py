from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "oversight.people"
    label = "people"
    verbose_name = "People and organisation"
    navigation = [
        ("Home", "home", None),
        ("People", "people:person_list", "people.list_people"),
        ("Agencies", "people:agency_list", "people.list_agencies"),
        ("Administration", "people:manage_index", "people.manage_organisation"),
    ]

    def ready(self) -> None:
        from . import signals  # noqa: F401  (sign-in events to the audit log)
