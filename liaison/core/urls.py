from django.urls import path

from liaison.core import audit_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/second-factor/", views.second_factor, name="second_factor"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("reference/", views.reference, name="reference"),
    path("audit/", audit_views.audit_page, name="audit_log"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<id:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
]
