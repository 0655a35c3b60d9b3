"""API conventions: RFC 7807 problem documents, pagination, and their OpenAPI description."""

from __future__ import annotations

import math
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import set_rollback

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TYPES = {
    400: "validation",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    415: "unsupported-media-type",
    429: "too-many-requests",
}


def problem(
    status_code: int,
    *,
    title: str,
    detail: str = "",
    errors: dict[str, Any] | None = None,
    code: str = "",
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:polku:problem:{_TYPES.get(status_code, 'error')}",
        "title": title,
        "status": status_code,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = errors
    if code:
        body["code"] = code
    return body


def _titles() -> dict[int, str]:
    return {
        400: _("Invalid input"),
        401: _("Not signed in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
    }


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _service_code(error: DjangoValidationError) -> str:
    """The code of a service's whole-request refusal, e.g. "possible_duplicate", if it has one.

    Messages are translated, so a program that must react to one (confirm a possible duplicate
    and send again) needs the code, not the text.
    """
    if hasattr(error, "error_dict"):
        return ""
    codes = {item.code for item in error.error_list if item.code}
    return codes.pop() if len(codes) == 1 else ""


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: every error becomes a problem document; nothing is half-written."""
    service_code = ""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        service_code = _service_code(exc)
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if not isinstance(exc, exceptions.APIException):
        return None
    code = exc.status_code
    title = _titles().get(code, _("Error"))
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if isinstance(errors, list):
            errors = {"non_field_errors": errors}
        body = problem(
            code,
            title=title,
            detail=_("Correct the fields listed in 'errors' and try again."),
            errors=errors,
            code=service_code,
        )
    else:
        body = problem(code, title=title, detail=str(exc.detail))
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        # Rounded up: "0" would invite the client straight back before the window opens.
        headers["Retry-After"] = str(math.ceil(exc.wait))  # type: ignore[attr-defined]
    set_rollback()
    return Response(body, status=code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(request: HttpRequest, status_code: int) -> JsonResponse:
    """A problem document for errors raised outside DRF views (unknown URL, server error)."""
    titles = _titles() | {500: _("Server error")}
    detail = (
        _("Something went wrong on our side. The error has been logged; try again later.")
        if status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
        else ""
    )
    return JsonResponse(
        problem(status_code, title=titles.get(status_code, _("Error")), detail=detail),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


class StrictCharField(serializers.CharField):
    """Text, and only text: DRF's CharField turns a JSON number into a string, so `163` would
    pass for a name or a search. The schema says string; anything else answers 400."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class StrictEmailField(StrictCharField, serializers.EmailField):
    """An e-mail address given as text (see StrictCharField)."""


# The largest primary key the database holds (64-bit); a larger id names no row, and SQLite
# raises OverflowError instead of finding nothing.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A filter on a primary key: a whole number the database can hold, else a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)
        schema: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        if kwargs.get("help_text"):
            schema["description"] = str(kwargs["help_text"])
        extend_schema_field(schema)(self)


class _UnstrippedUUIDField(forms.UUIDField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strip=False, **kwargs)


class UuidFilter(django_filters.UUIDFilter):
    """A filter on a UUID key: blank space is not "no filter" but an invalid id, a 400."""

    field_class = _UnstrippedUUIDField


class StrictNullBooleanField(forms.Field):
    """true or false (1 or 0); empty means not given, anything else is an error."""

    default_error_messages = {"invalid": gettext_lazy("Give true or false.")}
    values = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.values[str(value).lower()]
        except KeyError:
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid") from None


class BooleanFilter(django_filters.BooleanFilter):
    """django-filter's BooleanFilter ignores values it cannot read ("yes please" filters
    nothing); this one answers 400, so a typo does not silently return everything."""

    field_class = StrictNullBooleanField


class Pagination(PageNumberPagination):
    """Pages of 50 by default; `page_size` asks for 1 to 200 (larger requests get 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        # DRF silently falls back to the default for a malformed size; a client that asked for
        # "page_size=abc" or 0 has a bug it should hear about, so it gets a validation problem.
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Give a whole number, 1 or more.")]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"Number of results per page: default {self.page_size}, larger values are "
                    f"capped at {self.max_page_size}."
                )
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 7807 problem document.",
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem."},
        "title": {"type": "string", "description": "Short summary in the user's language."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong in this case."},
        "errors": {
            "type": "object",
            "description": "Field name to a list of messages (validation problems only).",
            "additionalProperties": True,
        },
        "code": {
            "type": "string",
            "description": "A code for a refusal a program can act on, e.g. `possible_duplicate` "
            "(resend with `confirm_possible_duplicate` once checked). Present only then.",
        },
    },
    "required": ["type", "title", "status", "detail"],
}

_ERROR_RESPONSES = {
    "400": "Invalid input: see `errors` for the messages per field.",
    "401": "Not signed in: send a token as `Authorization: Bearer <token>`.",
    "403": "The acting membership may not do this.",
    "404": "No such record, or not visible to the acting membership (the same answer for both).",
    "405": "The method is not allowed on this resource.",
    "406": "The requested representation is not available.",
    "415": "The request body's media type is not supported.",
    "429": "Too many requests: wait for the number of seconds in `Retry-After`.",
}


def add_problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the problem responses of every operation.

    Also documents the other convention every operation shares: an empty query parameter
    (`?status=`) counts as not given, as django-filter and the paginator treat it.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
            responses = operation.setdefault("responses", {})
            for code, description in _ERROR_RESPONSES.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": ref}},
                    },
                )
    return result
