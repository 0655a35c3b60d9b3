"""API conventions: RFC 7807 problem documents, pagination, and their OpenAPI description."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
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
    status_code: int, *, title: str, detail: str = "", errors: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:polku:problem:{_TYPES.get(status_code, 'error')}",
        "title": title,
        "status": status_code,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = errors
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


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: every error becomes a problem document; nothing is half-written."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
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
        )
    else:
        body = problem(code, title=title, detail=str(exc.detail))
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
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


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


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
    """drf-spectacular postprocessing hook: document the problem responses of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
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
