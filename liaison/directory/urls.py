from django.urls import path

from liaison.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.organizations, name="organizations"),
    path("new/", views.organization_new, name="organization_new"),
    path("<id:organization_id>/", views.organization_detail, name="organization"),
    path("<id:organization_id>/edit/", views.organization_edit, name="organization_edit"),
    path("<id:organization_id>/people/new/", views.person_new, name="person_new"),
    path("people/<id:person_id>/", views.person_detail, name="person"),
    path("people/<id:person_id>/edit/", views.person_edit, name="person_edit"),
]
