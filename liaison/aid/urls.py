from django.urls import path

from liaison.aid import letters_views, reports, transparency, views

app_name = "aid"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.donation_new, name="donation_new"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/lots/", views.lot_new, name="lot_new"),
    path("catalogue/lots/<id:lot_id>/certificates/", views.certificate_new, name="certificate_new"),
    path("certificates/<id:certificate_id>/", views.certificate_file, name="certificate"),
    path("<id:donation_id>/", views.donation_detail, name="donation"),
    path("<id:donation_id>/move/", views.donation_move, name="donation_move"),
    path("<id:donation_id>/correct/", views.donation_correct, name="donation_correct"),
    path("<id:donation_id>/batches/new/", views.batch_new, name="batch_new"),
    path(
        "<id:donation_id>/batches/<id:number>/receipt/", views.batch_receive, name="batch_receive"
    ),
    path("<id:donation_id>/allocations/", views.allocate, name="allocate"),
    path("<id:donation_id>/letters/", letters_views.letter_new, name="letter_new"),
    path("<id:donation_id>/certificate/", letters_views.certificate_print, name="certificate"),
    path("<id:donation_id>/certificate.pdf", letters_views.certificate_pdf, name="certificate_pdf"),
    path("letters/<id:letter_id>/", letters_views.letter_detail, name="letter"),
    path("letters/<id:letter_id>/print/", letters_views.letter_print, name="letter_print"),
    path("letters/<id:letter_id>/letter.pdf", letters_views.letter_pdf, name="letter_pdf"),
    path("letters/<id:letter_id>/<slug:step>/", letters_views.letter_move, name="letter_move"),
    path("transparency/", transparency.page, name="transparency"),
    path("reports/", reports.page, name="report"),
]
