"""REST endpoints for clients, episodes, consents and care teams.

Querysets come from the same selectors as the pages, so the API sees exactly what the user
interface sees; every response that carries client data is written to the read-access log for
the rows actually sent. Writes go through the services.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.utils.encoding import smart_str
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from polku.clients import selectors, services
from polku.clients.models import (
    CareTeamMember,
    Client,
    Consent,
    ConsentMethod,
    EndReason,
    Episode,
    Gender,
    Language,
    Municipality,
    Programme,
)
from polku.core import access, access_log
from polku.core.api_auth import acting_membership
from polku.core.api_support import (
    BooleanFilter,
    IdFilter,
    StrictCharField,
    StrictEmailField,
    UuidFilter,
)
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership, Organisation
from polku.core.roles import CLIENT_WORK_ROLES
from polku.core.validators import IdentityCodeType

C = DataCategory
# Request bodies are JSON only: a form encoding cannot say null, a list or a boolean the way the
# schema describes them, so it would accept some documented inputs and garble others.
JSON_ONLY = [JSONParser]


def _viewer(request: Request) -> Membership:
    membership = acting_membership(request)
    assert membership is not None  # HasActiveMembership ran first
    return membership


class VisibleClientField(serializers.PrimaryKeyRelatedField[Client]):
    """A client id that must be visible to the acting membership; others do not exist."""

    def get_queryset(self) -> QuerySet[Client]:
        return selectors.clients_visible_to(_viewer(self.context["request"]))


CONTACT_FIELDS = Client.fields_in(DataCategory.CONTACT)


class ContactSerializer(serializers.Serializer[dict[str, str]]):
    phone = StrictCharField(allow_blank=True)
    email = StrictEmailField(allow_blank=True)
    street_address = StrictCharField(allow_blank=True)
    postal_code = StrictCharField(allow_blank=True)
    post_office = StrictCharField(allow_blank=True)


MUNICIPALITY_CODE_LENGTH = 4


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "maxLength": MUNICIPALITY_CODE_LENGTH,
        "description": "Municipality code, e.g. 091 for Helsinki; null or empty for none.",
    }
)
class MunicipalityField(serializers.SlugRelatedField[Municipality]):
    """A municipality by its code; "" (what a form sends for none) counts as null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", allow_null=True, **kwargs)

    def to_internal_value(self, data: Any) -> Municipality:
        # A code is a few digits: anything longer (or holding a NUL, which PostgreSQL refuses in
        # a query) names no municipality, and must not reach the database as a lookup.
        if not isinstance(data, str):
            self.fail("invalid")
        if len(data) > MUNICIPALITY_CODE_LENGTH or "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        return super().to_internal_value(data)


class ClientListSerializer(serializers.ModelSerializer[Client]):
    municipality = MunicipalityField(read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "reference",
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "preferred_language",
            "municipality",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClientSerializer(ClientListSerializer):
    identity_code_type = serializers.ChoiceField(
        choices=IdentityCodeType.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty when no identity code was given.",
    )
    identity_code = serializers.SerializerMethodField(
        help_text="The identity code, normalised; empty when none was given."
    )
    contact = serializers.SerializerMethodField(
        help_text="Contact details, or null when the acting membership may not read them."
    )

    class Meta(ClientListSerializer.Meta):
        fields = [
            *ClientListSerializer.Meta.fields,
            "identity_code_type",
            "identity_code",
            "contact",
        ]
        read_only_fields = fields

    def get_identity_code(self, client: Client) -> str:
        return client.identity_code

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, client: Client) -> dict[str, str] | None:
        if not self.context.get("contact_visible"):
            return None
        return {name: getattr(client, name) for name in CONTACT_FIELDS}


class ClientWriteSerializer(serializers.Serializer[Client]):
    first_name = StrictCharField(max_length=100)
    last_name = StrictCharField(max_length=100)
    gender = serializers.ChoiceField(choices=Gender.choices)
    date_of_birth = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Required unless an identity code is given (then it must match).",
    )
    identity_code_type = serializers.ChoiceField(
        choices=IdentityCodeType.choices, required=False, allow_blank=True
    )
    identity_code = StrictCharField(max_length=20, required=False, allow_blank=True)
    preferred_language = serializers.ChoiceField(choices=Language.choices, required=False)
    municipality = MunicipalityField(queryset=Municipality.objects.all(), required=False)
    phone = StrictCharField(max_length=40, required=False, allow_blank=True)
    email = StrictEmailField(required=False, allow_blank=True)
    street_address = StrictCharField(max_length=200, required=False, allow_blank=True)
    postal_code = StrictCharField(max_length=10, required=False, allow_blank=True)
    post_office = StrictCharField(max_length=100, required=False, allow_blank=True)


class ClientCreateSerializer(ClientWriteSerializer):
    as_key_worker = serializers.BooleanField(default=True)
    confirm_possible_duplicate = serializers.BooleanField(
        default=False,
        help_text="Set after a 400 with code possible_duplicate, once checked it is another "
        "person.",
    )


class ClientSearchSerializer(serializers.Serializer[dict[str, Any]]):
    search = StrictCharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="Words of the name, the client reference, or a full identity code.",
    )
    programme: serializers.PrimaryKeyRelatedField[Programme] = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), required=False, allow_null=True
    )
    organisation: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(
            queryset=Organisation.objects.all(), required=False, allow_null=True
        )
    )
    status = serializers.ChoiceField(
        choices=[("active", "active"), ("ended", "ended"), ("none", "none")],
        required=False,
        allow_blank=True,
    )


class ClientFilter(django_filters.FilterSet):
    """Filters of the client list. Free-text search is not among them: names and identity codes
    never travel in a URL (they would land in proxy and server logs); POST /clients/search/."""

    programme = IdFilter(method="noop", help_text="Has an episode in this programme.")
    organisation = IdFilter(method="noop", help_text="Organisation responsible for an episode.")
    status = django_filters.ChoiceFilter(
        method="noop",
        choices=[("active", "active"), ("ended", "ended"), ("none", "none")],
        help_text="active: has an open episode; ended: has episodes, none open; none: no episodes.",
    )

    class Meta:
        model = Client
        fields: ClassVar[list[str]] = []

    def noop(self, queryset: QuerySet[Client], name: str, value: Any) -> QuerySet[Client]:
        # The selector applies these filters (the same code path as the search page).
        return queryset


def _log(request: Request, reads: Iterable[tuple[Any, str]]) -> None:
    access_log.record(_viewer(request), reads, purpose=Purpose.SERVICE, action=AccessAction.API)


class ClientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Client],
):
    """Clients the acting membership may see. Listing logs one identity read per client sent."""

    filterset_class = ClientFilter
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Client]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return Client.objects.none()
        return selectors.clients_visible_to(_viewer(self.request), filters=self._filters())

    def _filters(self) -> selectors.ClientFilters:
        """The query's filters, validated by ClientFilter (invalid ones answer 400)."""
        filterset = ClientFilter(self.request.query_params, queryset=Client.objects.none())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        data = filterset.form.cleaned_data
        return selectors.ClientFilters(
            programme=data.get("programme"),
            organisation=data.get("organisation"),
            status=data.get("status") or "",
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            return ClientListSerializer
        if self.action == "create":
            return ClientCreateSerializer
        if self.action in {"update", "partial_update"}:
            return ClientWriteSerializer
        return ClientSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._page(self.filter_queryset(self.get_queryset()))

    def _page(self, queryset: QuerySet[Client]) -> Response:
        """One page of clients, each logged as an identity read."""
        request = self.request
        page = self.paginate_queryset(queryset)
        rows: Sequence[Client] = page if page is not None else list(queryset)
        _log(request, ((c.pk, C.IDENTITY) for c in rows))
        data = ClientListSerializer(rows, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def _detail_response(self, client: Client, *, status_code: int = 200) -> Response:
        viewer = _viewer(self.request)
        contact_visible = access.can_read(
            viewer, client, category=C.CONTACT, purpose=Purpose.SERVICE
        )
        reads = [(client.pk, C.IDENTITY)] + ([(client.pk, C.CONTACT)] if contact_visible else [])
        _log(self.request, reads)
        context = self.get_serializer_context() | {"contact_visible": contact_visible}
        return Response(ClientSerializer(client, context=context).data, status=status_code)

    @extend_schema(
        request=ClientSearchSerializer,
        responses=ClientListSerializer(many=True),
        parameters=[
            OpenApiParameter("page", int, description="A page number within the results."),
            OpenApiParameter("page_size", int, description="Results per page (up to 200)."),
        ],
        filters=False,
    )
    @action(detail=False, methods=["post"], filter_backends=[])
    def search(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Search clients by name, reference or full identity code (in the body, so that no
        personal data appears in a URL), with the same filters as the list."""
        serializer = ClientSearchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        filters = selectors.ClientFilters(
            search=data.get("search", ""),
            programme=data["programme"].pk if data.get("programme") else None,
            organisation=data["organisation"].pk if data.get("organisation") else None,
            status=data.get("status", ""),
        )
        return self._page(selectors.clients_visible_to(_viewer(request), filters=filters))

    @extend_schema(responses=ClientSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail_response(self.get_object())

    @extend_schema(request=ClientCreateSerializer, responses={201: ClientSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ClientCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        municipality = data.pop("municipality", None)
        client = services.client_register(
            actor=_viewer(request),
            municipality_id=municipality.pk if municipality else None,
            **data,
        )
        return self._detail_response(client, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ClientWriteSerializer, responses=ClientSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.get_object()
        serializer = ClientWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "municipality" in data:
            municipality = data.pop("municipality")
            data["municipality_id"] = municipality.pk if municipality else None
        code = data.pop("identity_code", "")
        code_type = data.pop("identity_code_type", client.identity_code_type)
        services.client_update(
            actor=_viewer(request),
            client=client,
            identity_code=code,
            identity_code_type=code_type,
            **data,
        )
        client.refresh_from_db()
        return self._detail_response(client)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


class EpisodeSerializer(serializers.ModelSerializer[Episode]):
    client = VisibleClientField()
    programme: serializers.PrimaryKeyRelatedField[Programme] = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all()
    )
    organisation: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(
            queryset=Organisation.objects.filter(is_active=True),
            help_text="The organisation responsible for the episode.",
        )
    )
    end_reason = serializers.ChoiceField(
        choices=EndReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="Why the episode ended; empty while it is open.",
    )

    class Meta:
        model = Episode
        fields = [
            "id",
            "client",
            "programme",
            "organisation",
            "start_date",
            "end_date",
            "end_reason",
            "months_unemployed",
            "days_on_labour_market_subsidy",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["id", "end_date", "end_reason", "recorded_by", "created_at"]
        extra_kwargs: ClassVar[dict[str, Any]] = {
            "months_unemployed": {"max_value": 600},
            "days_on_labour_market_subsidy": {"max_value": 20000},
        }


class EpisodeEndSerializer(serializers.Serializer[Episode]):
    end_date = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=EndReason.choices)


class EpisodeFilter(django_filters.FilterSet):
    client = UuidFilter(field_name="client")
    programme = IdFilter(field_name="programme")
    open = BooleanFilter(
        field_name="end_date",
        lookup_expr="isnull",
        help_text="true: only episodes without an end date.",
    )

    class Meta:
        model = Episode
        fields: ClassVar[list[str]] = []


class EpisodeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Episode],
):
    """Programme episodes the acting membership may read (employment category)."""

    serializer_class = EpisodeSerializer
    filterset_class = EpisodeFilter
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY

    def get_queryset(self) -> QuerySet[Episode]:
        if getattr(self, "swagger_fake_view", False):
            return Episode.objects.none()
        viewer = _viewer(self.request)
        return (
            selectors.episodes_visible_to(viewer)
            .filter(client__in=selectors.clients_visible_to(viewer).values("pk"))
            .order_by("-start_date", "pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        _log(request, ((e.client_id, C.EMPLOYMENT) for e in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        episode = self.get_object()
        _log(request, [(episode.client_id, C.EMPLOYMENT)])
        return Response(self.get_serializer(episode).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        episode = services.episode_start(actor=_viewer(request), **serializer.validated_data)
        _log(request, [(episode.client_id, C.EMPLOYMENT)])
        return Response(self.get_serializer(episode).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EpisodeEndSerializer, responses=EpisodeSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """End an open episode with a date and a reason."""
        episode = self.get_object()
        serializer = EpisodeEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        episode = services.episode_end(
            actor=_viewer(request), episode=episode, **serializer.validated_data
        )
        _log(request, [(episode.client_id, C.EMPLOYMENT)])
        return Response(self.get_serializer(episode).data)


class CategoriesField(serializers.ListField):
    """Written as a list of categories; read from the consent's scope rows."""

    def get_attribute(self, instance: Consent) -> list[str]:
        return sorted(scope.category for scope in instance.scopes.all())


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    client = VisibleClientField()
    organisations: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(
            many=True,
            queryset=Organisation.objects.filter(is_active=True),
            help_text="Organisations the data is shared with.",
        )
    )
    categories = CategoriesField(
        child=serializers.ChoiceField(choices=DataCategory.choices),
        min_length=1,
        max_length=len(DataCategory.values),
        help_text="Data categories shared.",
    )
    purpose = serializers.ChoiceField(
        choices=[
            (Purpose.SERVICE, Purpose.SERVICE.label),
            (Purpose.REFERRAL, Purpose.REFERRAL.label),
        ],
        default=Purpose.SERVICE,
    )
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    note = StrictCharField(max_length=500, required=False, allow_blank=True)
    status = serializers.SerializerMethodField(
        help_text="active, pending, expired or withdrawn, as of today."
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "client",
            "purpose",
            "organisations",
            "categories",
            "method",
            "valid_from",
            "valid_until",
            "withdrawn_at",
            "status",
            "note",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["id", "withdrawn_at", "status", "recorded_by", "created_at"]

    def get_status(self, consent: Consent) -> str:
        return str(consent.status())


class ClientScopedFilter(django_filters.FilterSet):
    client = UuidFilter(field_name="client")


class ConsentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Consent],
):
    """Consents of the clients the acting membership may see."""

    serializer_class = ConsentSerializer
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY

    class Filter(ClientScopedFilter):
        class Meta:
            model = Consent
            fields: ClassVar[list[str]] = []

    filterset_class = Filter

    def get_queryset(self) -> QuerySet[Consent]:
        if getattr(self, "swagger_fake_view", False):
            return Consent.objects.none()
        return (
            selectors.consents_visible_to(_viewer(self.request))
            .prefetch_related("organisations", "scopes")
            .order_by("-valid_from", "pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        _log(request, ((c.client_id, C.IDENTITY) for c in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        consent = self.get_object()
        _log(request, [(consent.client_id, C.IDENTITY)])
        return Response(self.get_serializer(consent).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_record(actor=_viewer(request), **serializer.validated_data)
        _log(request, [(consent.client_id, C.IDENTITY)])
        return Response(self.get_serializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record that the client withdrew this consent; sharing stops at once."""
        consent = services.consent_withdraw(actor=_viewer(request), consent=self.get_object())
        _log(request, [(consent.client_id, C.IDENTITY)])
        return Response(self.get_serializer(consent).data)


class TeamMembershipSerializer(serializers.ModelSerializer[Membership]):
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "name", "organisation", "role", "title"]
        read_only_fields = fields


class ProfessionalField(serializers.PrimaryKeyRelatedField[Membership]):
    """A membership that is active today and works with clients."""

    def get_queryset(self) -> QuerySet[Membership]:
        # Built per request: `active()` compares with today's date, which a queryset made once
        # when this module is imported would freeze at the day the server started.
        return Membership.objects.active().filter(role__in=CLIENT_WORK_ROLES)


class CareTeamMemberSerializer(serializers.ModelSerializer[CareTeamMember]):
    client = VisibleClientField()
    membership = ProfessionalField(
        help_text="The professional's membership (organisation and role)."
    )
    member = TeamMembershipSerializer(source="membership", read_only=True)
    as_key_worker = serializers.BooleanField(write_only=True, default=False)

    class Meta:
        model = CareTeamMember
        fields = [
            "id",
            "client",
            "membership",
            "member",
            "is_key_worker",
            "as_key_worker",
            "added_at",
        ]
        read_only_fields = ["id", "member", "is_key_worker", "added_at"]


class CareTeamMemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[CareTeamMember],
):
    """Current care-team members of the clients the acting membership may see.

    DELETE takes the member off the team (the row stays in the history).
    """

    serializer_class = CareTeamMemberSerializer
    lookup_value_converter = "int"
    parser_classes = JSON_ONLY

    class Filter(ClientScopedFilter):
        class Meta:
            model = CareTeamMember
            fields: ClassVar[list[str]] = []

    filterset_class = Filter

    def get_queryset(self) -> QuerySet[CareTeamMember]:
        if getattr(self, "swagger_fake_view", False):
            return CareTeamMember.objects.none()
        visible = selectors.clients_visible_to(_viewer(self.request)).values("pk")
        return (
            CareTeamMember.objects.filter(client__in=visible, removed_at__isnull=True)
            .select_related("membership__user")
            .order_by("client", "-is_key_worker", "pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        _log(request, ((m.client_id, C.IDENTITY) for m in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.get_object()
        _log(request, [(member.client_id, C.IDENTITY)])
        return Response(self.get_serializer(member).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.care_team_add(actor=_viewer(request), **serializer.validated_data)
        _log(request, [(member.client_id, C.IDENTITY)])
        return Response(self.get_serializer(member).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.care_team_remove(actor=_viewer(request), member=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=CareTeamMemberSerializer)
    @action(detail=True, methods=["post"], url_path="make-key-worker")
    def make_key_worker(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Make this member the client's key worker (replacing the previous one)."""
        member = services.care_team_set_key_worker(actor=_viewer(request), member=self.get_object())
        _log(request, [(member.client_id, C.IDENTITY)])
        return Response(self.get_serializer(member).data)


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "name",
            "name_fi",
            "name_sv",
            "name_en",
            "organisation",
            "target_participants",
            "start_date",
            "end_date",
        ]
        read_only_fields = fields


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet[Programme]):
    """Programmes (reference data, no personal data)."""

    serializer_class = ProgrammeSerializer
    lookup_value_converter = "int"
    queryset = Programme.objects.order_by("code")
