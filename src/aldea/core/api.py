"""API pieces every app shares: error handling that never answers 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from aldea.core.exceptions import DomainError


def exception_handler(exc, context):
    """DRF's handler, plus database and model validation errors turned into 400s with a reason."""
    if isinstance(exc, DomainError):
        exc = ValidationError({"non_field_errors": [str(exc)]})
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, IntegrityError):
        # Constraint violations that slipped past the serializer (a race, a check constraint).
        return Response(
            {"non_field_errors": [f"The record breaks a data rule: {exc}".strip()]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, (DataError, OverflowError)):
        # A number too large for the column (PostgreSQL's DataError, SQLite's OverflowError).
        return Response(
            {"non_field_errors": [f"A value is out of range for the database: {exc}".strip()]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
