"""Log records that carry the request id, as plain text or one JSON object a line."""

import contextvars
import json
import logging
from datetime import UTC, datetime

# The id of the request being served in this thread (or "-" outside a request).
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("aldea_request_id", default="-")

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged too.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def clear_request_id(**kwargs) -> None:
    """request_finished handler: log records made between requests carry no request's id."""
    request_id_var.set("-")


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` so formatters can print it, inside a request or not."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request id,
    the fields given with ``extra=`` and, for errors, the traceback as one string."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
