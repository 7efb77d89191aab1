from django.urls import path

from reports import analytics_views, invoice_views, views

app_name = "reports"

urlpatterns = [
    path("", views.provider_list, name="providers"),
    path("invoices/", invoice_views.invoices, name="invoices"),
    path("invoices/register.xlsx", invoice_views.invoices_register, name="invoices_register"),
    path("invoices/<int:pk>.xlsx", invoice_views.invoice_download, name="invoice_download"),
    path("invoices/<int:pk>/print/", invoice_views.invoice_print, name="invoice_print"),
    path("invoices/<int:pk>/act.xlsx", invoice_views.act_download, name="act_download"),
    path("invoices/<int:pk>/act/print/", invoice_views.act_print, name="act_print"),
    path("invoices/topup/", invoice_views.invoice_topup, name="invoice_topup"),
    path("invoices/<int:pk>/", invoice_views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/paid/", invoice_views.invoice_paid, name="invoice_paid"),
    path("invoices/<int:pk>/unpaid/", invoice_views.invoice_unpaid, name="invoice_unpaid"),
    path("providers/<slug:slug>/", views.dashboard, name="dashboard"),
    path("providers/<slug:slug>/users/", views.users, name="users"),
    path("providers/<slug:slug>/groups/", analytics_views.groups, name="groups"),
    path("providers/<slug:slug>/users/export/", views.users_export, name="users_export"),
    path("providers/<slug:slug>/exports/<int:pk>/", views.export_job, name="export_job"),
    path(
        "providers/<slug:slug>/exports/<int:pk>/download/",
        views.export_job_download,
        name="export_job_download",
    ),
    path(
        "providers/<slug:slug>/results/<uuid:result_key>/",
        views.result_detail,
        name="result",
    ),
]
