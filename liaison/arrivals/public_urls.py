"""Traveler-facing pages: no account, many languages."""

app_name = "declare"

urlpatterns: list = []
