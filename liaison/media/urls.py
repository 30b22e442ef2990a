from django.urls import path

from liaison.media import release_views, views

app_name = "media"

urlpatterns = [
    path("", views.requests, name="requests"),
    path("mine/", views.mine, name="mine"),
    path("bureaus/", release_views.bureaus, name="bureaus"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<id:request_id>/", views.request_detail, name="request"),
    path("requests/<id:request_id>/correct/", views.request_correct, name="request_correct"),
    path("requests/<id:request_id>/assign/", views.request_assign, name="request_assign"),
    path("requests/<id:request_id>/answer/", views.request_answer, name="request_answer"),
    path("requests/<id:request_id>/decline/", views.request_decline, name="request_decline"),
    path("requests/<id:request_id>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("releases/", release_views.release_list, name="releases"),
    path("releases/new/", release_views.release_new, name="release_new"),
    path("releases/<id:release_id>/", release_views.release_detail, name="release"),
    path("releases/<id:release_id>/edit/", release_views.release_edit, name="release_edit"),
    path(
        "releases/<id:release_id>/publish/", release_views.release_publish, name="release_publish"
    ),
    path("releases/<id:release_id>/send/", release_views.release_send, name="release_send"),
]
