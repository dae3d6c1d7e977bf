from django.urls import path

from bfs_tracker.reports import views

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
    path("report/visit/", views.visit_report, name="visit_report"),
    path("report/visit/pdf/", views.visit_report_pdf, name="visit_report_pdf"),
    path("export/csv/", views.export_csv, name="export_csv"),
    path("export/json/", views.export_json, name="export_json"),
    path("export/fhir/", views.export_fhir, name="export_fhir"),
    path("import/", views.import_data, name="import_data"),
    path("settings/share/", views.share_links, name="share_links"),
    path("settings/share/<int:pk>/revoke/", views.share_link_revoke_view, name="share_link_revoke"),
    path("settings/log-out-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("shared/<str:token>/", views.shared_report, name="shared_report"),
    path("shared/<str:token>/report.pdf", views.shared_report_pdf, name="shared_report_pdf"),
]
