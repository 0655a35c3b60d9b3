from django.urls import path

from polku.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("export.csv", views.client_export, name="export"),
    path("new/", views.client_register, name="register"),
    path("programmes/", views.programme_overview, name="programmes"),
    path("<uuid:client_id>/", views.client_detail, name="detail"),
    path("<uuid:client_id>/edit/", views.client_edit, name="edit"),
    path("<uuid:client_id>/episodes/new/", views.episode_start, name="episode_start"),
    path("<uuid:client_id>/episodes/<uuid:episode_id>/end/", views.episode_end, name="episode_end"),
    path("<uuid:client_id>/consents/new/", views.consent_record, name="consent_record"),
    path(
        "<uuid:client_id>/consents/<uuid:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<uuid:client_id>/team/", views.care_team, name="care_team"),
    path(
        "<uuid:client_id>/team/<int:member_id>/remove/",
        views.care_team_remove,
        name="care_team_remove",
    ),
    path(
        "<uuid:client_id>/team/<int:member_id>/key-worker/",
        views.care_team_key_worker,
        name="care_team_key_worker",
    ),
]
