from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "oversight.assurance"
    label = "assurance"
    verbose_name = "Assurance"
