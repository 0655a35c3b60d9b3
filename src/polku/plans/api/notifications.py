"""REST endpoints: the acting membership's notifications (`notifications`) and marking them read.

A notification carries no personal data; its `text` is built when it is sent, from its kind
and linked record, in the request's language. Nothing here is written to the read-access log:
following the link (`referral`, `action`) is where the access policy applies.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.plans.api import common
from polku.plans.models import Notification
from polku.plans.selectors import notifications as selectors
from polku.plans.services import notifications as services


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    text = serializers.SerializerMethodField(help_text="What the notification says, built now.")
    url = serializers.SerializerMethodField(
        help_text="The page it links to in the user interface ('' when none)."
    )

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "referral", "action", "created_at", "read_at"]
        read_only_fields = fields

    def get_text(self, notification: Notification) -> str:
        return selectors.describe(notification).text

    def get_url(self, notification: Notification) -> str:
        return selectors.describe(notification).url


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Notification]):
    """The acting membership's own notifications, unread first, newest first."""

    serializer_class = NotificationSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notifications_of(common.viewer(self.request))

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark this notification read (again: no change)."""
        notification = services.notification_mark_read(
            actor=common.viewer(request), notification=self.get_object()
        )
        return Response(self.get_serializer(notification).data)


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("notifications", NotificationViewSet, basename="notification")
