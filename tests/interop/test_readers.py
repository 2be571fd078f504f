import datetime
from decimal import Decimal

import pytest
from interop_files import write_csv

from aldea.interop import readers


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("1234,56", ",", "1234.56"),
        ("1.234,56", ",", "1234.56"),
        ("1,234.56", ".", "1234.56"),
        ("1234.5", ".", "1234.5"),
        ("1234,5", ".", "1234.5"),
        ("1,234", ".", "1234"),
        ("1.234.567", ",", "1234567"),
        ("$ 1 250,00", ",", "1250.00"),
        ("-96,519722", ",", "-96.519722"),
        ("'-96.5", ".", "-96.5"),
    ],
)
def test_decimal_commas_and_thousands_separators_are_read(text, mark, expected):
    assert readers.parse_decimal(text, mark) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1,2,3.4.5", "NaN", "inf", "1e"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueError):
        readers.parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("31/01/2025", datetime.date(2025, 1, 31)), ("2025-01-31", datetime.date(2025, 1, 31)),
     ("31-01-2025", datetime.date(2025, 1, 31)), ("2025-01-31T10:00:00", datetime.date(2025, 1, 31))],
)
def test_dates_are_day_first_or_iso(text, expected):
    assert readers.parse_date(text) == expected


def test_month_first_dates_are_refused_not_guessed():
    with pytest.raises(ValueError):
        readers.parse_date("01/31/2025")


@pytest.mark.parametrize("text", ["2025-03", "03/2025", "15/03/2025", "2025-03-01"])
def test_months_in_any_common_spelling_are_the_first_day(text):
    assert readers.parse_month(text) == datetime.date(2025, 3, 1)


@pytest.mark.parametrize(("text", "expected"), [("Sí", True), ("sim", True), ("VERDADERO", True), ("x", True), ("Não", False), ("no", False), ("FALSO", False), ("", False)])
def test_yes_and_no_in_spanish_portuguese_and_english(text, expected):
    assert readers.parse_bool(text) is expected


def test_accented_headers_are_normalised():
    assert readers.normalise_header(" Código Município ") == "codigo_municipio"
    assert readers.normalise_header("Año de fundación") == "ano_de_fundacion"


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ",", False), ("utf-8-sig", ";", True), ("cp1252", ";", False), ("latin-1", "\t", False)],
)
def test_csv_encoding_and_delimiter_are_sniffed(tmp_path, encoding, delimiter, bom):
    path = write_csv(tmp_path / "f.csv", [["código", "nombre"], ["a1", "Tapetes Gónzalez Peña"]], delimiter=delimiter, encoding=encoding)
    with readers.open_table(path) as table:
        assert table.headers == ["código", "nombre"]
        assert list(table.rows) == [(2, ["a1", "Tapetes Gónzalez Peña"])]
        assert table.format.delimiter == delimiter
        assert table.format.has_bom is bom


def test_formula_guard_is_stripped_exactly_once():
    assert readers.clean_text("'=SUM(A1)") == "=SUM(A1)"
    assert readers.clean_text("''=SUM(A1)") == "''=SUM(A1)"
    assert readers.clean_text("'hola") == "'hola"
    assert readers.neutralise("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert readers.neutralise("@cmd") == "'@cmd"
    assert readers.neutralise("Tapetes") == "Tapetes"


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(readers.FileRefused):
        readers.open_table(path)
