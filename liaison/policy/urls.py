from django.urls import path

from liaison.policy import views

app_name = "policy"

urlpatterns = [
    path("", views.versions, name="versions"),
    path("new/", views.new_draft, name="new_draft"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/decide/", views.decide_reviews, name="decide_reviews"),
    path("<slug:kind>/<id:pk>/", views.version_detail, name="version"),
    path("<slug:kind>/<id:pk>/preview/", views.preview, name="preview"),
    path("<slug:kind>/<id:pk>/publish/", views.publish, name="publish"),
    path("<slug:kind>/<id:pk>/discard/", views.discard, name="discard"),
]
