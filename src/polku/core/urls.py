from django.urls import path

from polku.core import views

app_name = "core"

urlpatterns = [
    path("membership/", views.membership_choose, name="membership"),
    path("account/tokens/", views.api_tokens, name="tokens"),
    path("account/tokens/<uuid:token_id>/revoke/", views.api_token_revoke, name="token_revoke"),
    path("organisation/staff/", views.staff_members, name="members"),
    path(
        "organisation/staff/<int:membership_id>/end/", views.membership_end, name="membership_end"
    ),
    path("audit/access-log/", views.audit_access_log, name="audit_access_log"),
    path("audit/changes/", views.audit_changes, name="audit_changes"),
    path("audit/sign-ins/", views.audit_security, name="audit_security"),
]
