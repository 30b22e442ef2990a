"""Traveler-facing pages: no account, many languages."""

from django.urls import path

from liaison.arrivals import public_views

app_name = "declare"

urlpatterns = [
    path("", public_views.declare, name="form"),
    path("poster/", public_views.poster, name="poster"),
    path("status/<str:token>/", public_views.status, name="status"),
    path("status/<str:token>/amend/", public_views.amend, name="amend"),
    path("status/<str:token>/code.svg", public_views.qr, name="qr"),
    path("status/<str:token>/code.png", public_views.qr_png, name="qr_png"),
]
