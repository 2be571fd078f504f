"""Builders of real-looking files for the interop tests."""

import os
import time

import openpyxl


def write_csv(path, rows, *, delimiter=",", encoding="utf-8", newline="\r\n"):
    lines = [delimiter.join(_quote(v, delimiter) for v in row) for row in rows]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def _quote(value, delimiter):
    value = "" if value is None else str(value)
    if any(c in value for c in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_xlsx(path, sheets):
    """sheets: {name: rows}; the first one is the first sheet."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def stored_upload(folder, name, age_seconds):
    """A file in the uploads folder, last modified ``age_seconds`` ago."""
    path = folder / name
    path.write_bytes(b"code,name\n")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path

