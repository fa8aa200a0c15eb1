from django.urls import path

from . import exports, views

urlpatterns = [
    path("reports/", views.overview, name="reports"),
    path("reports/summary/", views.summary, name="reports_summary"),
    path("reports/print/", views.printable, name="reports_print"),
    path("reports/export.xlsx", exports.workbook, name="reports_workbook"),
    path("reports/export/<slug:key>.<str:fmt>", exports.table, name="reports_export"),
]
