"""REST endpoint of the client timeline (`timeline`), read-only.

`GET /api/v1/timeline/?client=<uuid>&type=&organisation=` answers one page of the client's
events, newest first, built by the same selector as the timeline tab: only what the acting
membership may read, each source fetched only up to the requested page. The categories of the
items sent are written to the read-access log. Paged without a total: counting every source
would cost more than the page itself; `next` is null on the last page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.utils.urls import remove_query_param, replace_query_param

from polku.clients.models import Client
from polku.core.api_support import MAX_ID, Pagination
from polku.core.categories import DataCategory
from polku.core.models import AccessAction
from polku.plans.api import common
from polku.plans.selectors import timeline as selectors


class TimelineQuerySerializer(serializers.Serializer[dict[str, Any]]):
    client = serializers.UUIDField(help_text="The client whose timeline to read.")
    type = serializers.ListField(
        child=serializers.ChoiceField(choices=selectors.TimelineType.choices),
        required=False,
        help_text="Only events of these types (repeat the parameter for several); all types "
        "when not given.",
    )
    organisation = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only events recorded by this organisation.",
    )
    page = serializers.IntegerField(required=False, min_value=1, default=1)


class TimelineItemSerializer(serializers.Serializer[selectors.TimelineItem]):
    at = serializers.DateTimeField(
        help_text="When the event happened; for events with a date only, the start of the day."
    )
    all_day = serializers.BooleanField(help_text="True when the event has a date but no time.")
    date = serializers.DateField(help_text="The day of the event, in Polku's time zone.")
    type = serializers.ChoiceField(choices=selectors.TimelineType.choices)
    event = serializers.CharField(
        help_text="What happened, as a code: episode started/ended, assessment round/entry, plan "
        "revision/review, action planned/done, referral sent, encounter held."
    )
    title = serializers.CharField(help_text="A description in the request's language.")
    category = serializers.ChoiceField(
        choices=DataCategory.choices, help_text="The data category the event belongs to."
    )
    organisation = serializers.IntegerField(
        source="organisation_id", help_text="The organisation that recorded the event."
    )
    organisation_name = serializers.CharField()
    record_id = serializers.CharField(help_text="The id of the record behind the event.")
    link = serializers.CharField(help_text="The page in Polku that shows the record.")


class _PageSchema(AutoSchema):
    """The response is one page object (next, previous, results), not a list of items."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class TimelineViewSet(viewsets.ViewSet):
    """A client's timeline: episodes, assessments, plan revisions and reviews, actions,
    referrals and encounters of every organisation, as far as the acting membership may read
    them, newest first."""

    schema = _PageSchema()

    @extend_schema(
        operation_id="timeline_list",
        parameters=[
            OpenApiParameter("client", OpenApiTypes.UUID, required=True, description="The client."),
            OpenApiParameter(
                "type",
                str,
                many=True,
                explode=True,
                enum=selectors.TimelineType.values,
                description="Only events of these types; repeat for several.",
            ),
            OpenApiParameter(
                "organisation",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                description="Only events recorded by this organisation.",
            ),
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1},
                description="A page number; a page past the last one is empty.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description=f"Events per page: default {Pagination.page_size}, larger values "
                f"are capped at {Pagination.max_page_size}.",
            ),
        ],
        responses=inline_serializer(
            "PaginatedTimelineList",
            {
                "next": serializers.URLField(
                    allow_null=True, help_text="The next (older) page; null on the last page."
                ),
                "previous": serializers.URLField(
                    allow_null=True, help_text="The previous (newer) page; null on the first."
                ),
                "results": TimelineItemSerializer(many=True),
            },
        ),
        filters=False,
    )
    def list(self, request: Request) -> Response:
        viewer = common.viewer(request)
        query = TimelineQuerySerializer(
            data={
                "client": request.query_params.get("client", ""),
                "type": request.query_params.getlist("type"),
                "organisation": request.query_params.get("organisation") or None,
                "page": request.query_params.get("page") or 1,
            }
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        page_size = Pagination().get_page_size(request)
        try:
            client, purpose = selectors.client_for_timeline(viewer, data["client"])
        except Client.DoesNotExist:
            raise exceptions.NotFound from None
        filters = selectors.TimelineFilters(
            types=frozenset(data.get("type") or ()), organisation=data.get("organisation")
        )
        try:
            page = selectors.timeline_page(
                viewer,
                client,
                purpose=purpose,
                filters=filters,
                number=data["page"],
                page_size=page_size,
            )
        except selectors.PageOutOfRangeError:
            raise exceptions.ValidationError(
                {
                    "page": [
                        _("The timeline is read at most %(max)d events deep.")
                        % {"max": selectors.MAX_WINDOW}
                    ]
                }
            ) from None
        selectors.log_timeline(viewer, page, with_identity=False, action=AccessAction.API)
        url = request.build_absolute_uri()
        return Response(
            {
                "next": replace_query_param(url, "page", page.number + 1)
                if page.has_next
                else None,
                "previous": (
                    remove_query_param(url, "page")
                    if page.number == 2  # noqa: PLR2004 - the first page has no number
                    else replace_query_param(url, "page", page.number - 1)
                )
                if page.has_previous
                else None,
                "results": TimelineItemSerializer(page.items, many=True).data,  # type: ignore[arg-type]
            }
        )


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("timeline", TimelineViewSet, basename="timeline")
