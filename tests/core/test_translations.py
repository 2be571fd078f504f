"""Every string of the interface exists in Spanish (Mexico), Portuguese (Brazil) and English."""

import re
from pathlib import Path

import polib
import pytest

import aldea

LOCALE = Path(aldea.__file__).parent / "locale"
LANGUAGES = ["es_MX", "pt_BR", "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    broken = []
    for entry in catalogue(language).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if sorted(set(PLACEHOLDER.findall(text))) != sorted(set(PLACEHOLDER.findall(entry.msgid))):
                broken.append(entry.msgid)
    assert broken == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr or dict(e.msgstr_plural)) for e in mo}
    source = {
        (e.msgctxt, e.msgid): (e.msgstr or {int(k): v for k, v in e.msgstr_plural.items()})
        for e in po.translated_entries()
    }
    compiled = {k: ({int(i): v for i, v in val.items()} if isinstance(val, dict) else val) for k, val in compiled.items()}
    assert {k: v for k, v in compiled.items() if k[1]} == source, "run `make messages` to recompile"
