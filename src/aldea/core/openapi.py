"""The OpenAPI schema says what the API really answers: error statuses, and nulls where they occur.

drf-spectacular documents only the success status of each operation, and takes a declared
serializer field (``changed_by = SlugRelatedField(read_only=True)``) as never null even where
its model field is nullable. Clients generated from the schema, and schemathesis, then meet
statuses and nulls the schema said could not happen.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error that is not about one field: `detail` says what went wrong.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "What is wrong, by field name (or `non_field_errors`, or `detail` for a body "
    "that cannot be read): a list of messages, or for nested values an object of them.",
    "additionalProperties": {},
}

# Every operation: bad parameters or body (400), no or a wrong token (401), a role that may not
# (403), out of scope or unknown (404), and a conflict with the stored records (409): a record
# still used by others, or a key that names two (areas imported with one code).
ERROR_RESPONSES = {
    "400": ("ValidationError", "The request has an invalid parameter or body."),
    "401": ("Error", "No valid credentials were given."),
    "403": ("Error", "The user's role does not allow this."),
    "404": ("Error", "No such record in the user's scope (or no such page)."),
    "409": ("Error", "The request conflicts with the stored records (a record still used by others)."),
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, with a response field declared nullable wherever the model
    field it reads (through any relation on the way) may be null."""

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and "nullable" not in meta and reads_nullable_model_field(field):
            meta["nullable"] = True
        return meta


def reads_nullable_model_field(field) -> bool:
    """Whether a serializer field's source crosses a model field that allows null."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    source_attrs = getattr(field, "source_attrs", None)
    if model is None or not source_attrs:
        return False
    for name in source_attrs:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # a property or method: its own declaration decides
        if getattr(model_field, "null", False):
            return True
        model = getattr(model_field, "related_model", None)
        if model is None:
            return False
    return False


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document the error statuses of every operation (ERROR_RESPONSES)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("ValidationError", VALIDATION_ERROR_SCHEMA)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status_code, (component, description) in ERROR_RESPONSES.items():
                operation["responses"].setdefault(status_code, {"description": description})
            # An error an operation declares itself (the token's 429) has the same body.
            for status_code, response in operation["responses"].items():
                if status_code.startswith("4") and "content" not in response:
                    component = ERROR_RESPONSES.get(status_code, ("Error",))[0]
                    response["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}
    return result
