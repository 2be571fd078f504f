"""Rejects files: the rejected rows written back as the user gave them, in the source's dialect."""

import csv
import datetime
from pathlib import Path

from aldea.interop import readers
from aldea.interop.readers import clean_text

# Columns the engine itself writes into a rejects file; a corrected rejects file imports again.
REJECT_COLUMNS = ("_line", "_errors")


def rejects_dialect(fmt) -> tuple[str, str]:
    """(encoding, delimiter) to write a rejects file in: the source CSV's own, so it opens as the
    original did and its numbers keep their decimal mark (the cells are written as they were read).
    Other sources get UTF-8 with a BOM and commas, which every spreadsheet opens."""
    if fmt is not None and fmt.kind == "csv":
        encoding = "utf-8-sig" if fmt.has_bom and fmt.encoding.startswith("utf-8") else fmt.encoding
        return encoding, fmt.delimiter
    return "utf-8-sig", ","


def open_rejects(path, fmt):
    """A csv writer for a rejects file in the source's dialect, and its file handle."""
    encoding, delimiter = rejects_dialect(fmt)
    # A reason may hold a character the source's encoding lacks (cp1252 has no "≥"): replaced.
    fh = open(path, "w", encoding=encoding, errors="replace", newline="")  # noqa: SIM115 (the caller closes it)
    return fh, csv.writer(fh, delimiter=delimiter)


class RejectsWriter:
    """The rejected rows as the user gave them, plus ``_line`` and ``_errors``: fix and re-import."""

    def __init__(self, path):
        self.path = Path(path) if path else None
        self.fh = None
        self.writer = None

    def start(self, headers, fmt=None):
        if self.path is None:
            return
        self.fh, self.writer = open_rejects(self.path, fmt)
        self.headers = [h for h in headers if h not in REJECT_COLUMNS]
        self.indexes = [i for i, h in enumerate(headers) if h not in REJECT_COLUMNS]
        self.writer.writerow([*self.headers, *REJECT_COLUMNS])

    def write(self, row):
        if self.writer is None:
            return
        values = [_cell(row.raw[i]) if i < len(row.raw) else "" for i in self.indexes]
        self.writer.writerow([*values, row.line, "; ".join(str(e) for e in row.errors)])

    def close(self):
        if self.fh:
            self.fh.close()


def _cell(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return readers.neutralise(clean_text(value)) if isinstance(value, str) else value
