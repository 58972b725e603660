from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "oversight.contracts"
    label = "contracts"
    verbose_name = "Supervision policies and contracts"
    navigation = [("Contracts", "contracts:contract_list", "contracts.list_contracts")]
    on_supervision_relationship_ended = "oversight.contracts.services.contract_handover"
    daily_jobs = ["oversight.contracts.tasks.enqueue_daily"]
