"""Generated XLSForms convert with pyxform, in three languages, from the instrument in the database."""

import openpyxl
import pytest
from django.core.management import call_command
from pyxform.xls2xform import convert

from aldea.diagnostics.instrument import ensure_default_instrument, load_instrument_file
from aldea.diagnostics.models import Question
from aldea.interop.xlsform import FORMS, build_xlsform


@pytest.mark.parametrize("form", FORMS)
def test_each_generated_form_converts_to_an_xform(tmp_path, programme, form):
    ensure_default_instrument()
    path = tmp_path / f"{form}.xlsx"
    call_command("xlsform", "--form", form, "--out", str(path))
    warnings = []
    result = convert(str(path), warnings=warnings)
    assert "<h:html" in result.xform
    for language in ("Español (es)", "Português (pt)", "English (en)"):
        assert f'lang="{language}"' in result.xform
    sheets = openpyxl.load_workbook(path).sheetnames
    assert sheets == ["survey", "choices", "settings"]


def test_diagnostic_form_follows_the_instrument_in_the_database(db):
    instrument = ensure_default_instrument()
    form = build_xlsform("diagnostic")
    names = {row["name"] for row in form["survey"]}
    codes = set(Question.objects.filter(dimension__instrument=instrument).values_list("code", flat=True))
    assert codes <= names
    spec = load_instrument_file()
    first = spec["dimensions"][0]["questions"][0]
    row = next(r for r in form["survey"] if r["name"] == first["code"])
    assert row["label::Português (pt)"] == first["text"]["pt"]
    assert row["label::English (en)"] == first["text"]["en"]
    # A question added in the database appears in the form without touching the generator.
    dimension = instrument.dimensions.first()
    Question.objects.create(dimension=dimension, code="nueva", text="¿Pregunta nueva?", scale=dimension.questions.first().scale, position=99)
    assert "nueva" in {row["name"] for row in build_xlsform("diagnostic")["survey"]}


def test_registration_form_has_skip_logic_and_constraints(programme):
    survey = {row["name"]: row for row in build_xlsform("registration")["survey"] if row["name"]}
    assert survey["indigenous_language"]["relevant"] == "${speaks_indigenous_language} = 'yes'"
    assert survey["birth_year"]["constraint"] == ". >= 1900 and . <= 2030"
    choices = build_xlsform("registration")["choices"]
    assert {c["name"] for c in choices if c["list_name"] == "village"} == {"teotitlan", "arrazola"}


def test_outcome_form_bounds_online_sales_by_total_sales(db):
    survey = {row["name"]: row for row in build_xlsform("outcome")["survey"] if row["name"]}
    assert "${total_sales}" in survey["online_sales"]["constraint"]
    assert survey["online_sales"]["relevant"] == "${sells_online} = 'yes'"
