from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractListView.as_view(), name="contract_list"),
    path("policies/<int:agency_pk>/", views.AgencyPolicyView.as_view(), name="agency_policy"),
    path("policies/<int:agency_pk>/new/", views.PolicyCreateView.as_view(), name="policy_create"),
    path("agencies/<int:agency_pk>/", views.AgencyContractsView.as_view(), name="agency_contracts"),
    path("new/<int:relationship_pk>/", views.ContractCreateView.as_view(), name="contract_create"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="contract_detail"),
    path("<int:pk>/edit/", views.ContractEditView.as_view(), name="contract_edit"),
    path("<int:pk>/sign/", views.ContractSignView.as_view(), name="contract_sign"),
    path("<int:pk>/review/", views.ContractReviewView.as_view(), name="contract_review"),
    path("<int:pk>/end/", views.ContractEndView.as_view(), name="contract_end"),
    path("<int:pk>/print/", views.ContractPrintView.as_view(), name="contract_print"),
]
