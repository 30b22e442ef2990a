from django.urls import path

from liaison.leadership import views

app_name = "leadership"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("briefings/", views.briefings, name="briefings"),
    path("briefings/draft/", views.draft, name="draft"),
    path("briefings/compare/", views.compare, name="compare"),
    path("briefings/<id:pk>/", views.briefing, name="briefing"),
    path("briefings/<id:pk>/highlights/", views.highlights, name="highlights"),
    path("briefings/<id:pk>/approve/", views.approve, name="approve"),
    path("briefings/<id:pk>/print/", views.printed, name="print"),
    path("briefings/<id:pk>/briefing.pdf", views.download, {"fmt": "pdf"}, name="pdf"),
    path("briefings/<id:pk>/briefing.xlsx", views.download, {"fmt": "xlsx"}, name="xlsx"),
]
