from django.urls import path

from liaison.contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.log, name="log"),
    path("new/", views.contact_new, name="contact_new"),
    path("search/", views.search, name="search"),
    path("<id:contact_id>/", views.contact_detail, name="contact"),
    path("<id:contact_id>/correct/", views.contact_correct, name="contact_correct"),
    path("<id:contact_id>/withdraw/", views.contact_withdraw, name="contact_withdraw"),
    path("commitments/", views.commitments, name="commitments"),
    path("commitments/mine/", views.mine, name="mine"),
    path("commitments/<id:commitment_id>/", views.commitment_detail, name="commitment"),
    path("commitments/<id:commitment_id>/move/", views.commitment_move, name="commitment_move"),
    path(
        "commitments/<id:commitment_id>/reschedule/",
        views.commitment_reschedule,
        name="commitment_reschedule",
    ),
]
