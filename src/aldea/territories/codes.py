"""The shape of each country's official municipality codes, to refuse a malformed one early.

A code is matched against the database afterwards; this only says, in the user's words, what
a code of that country looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CodeFormat:
    pattern: str
    description: str


MUNICIPALITY_CODES = {
    "MX": CodeFormat(r"[0-9]{5}", _("5 digits (INEGI's CVE, state and municipality)")),
    "BR": CodeFormat(r"[0-9]{7}", _("7 digits (IBGE's code, with its check digit)")),
    "CO": CodeFormat(r"[0-9]{5}", _("5 digits (DANE's DIVIPOLA code)")),
    "PE": CodeFormat(r"[0-9]{6}", _("6 digits (INEI's ubigeo)")),
}
# Any other country: what AdministrativeArea.code holds (12 characters), letters and digits.
OTHER = CodeFormat(r"[0-9A-Za-z.\-]{1,12}", _("1 to 12 letters, digits, dots or hyphens"))


def municipality_code_format(country_code: str) -> CodeFormat:
    return MUNICIPALITY_CODES.get(country_code, OTHER)


def is_municipality_code(code: str, country_code: str) -> bool:
    return re.fullmatch(municipality_code_format(country_code).pattern, code or "") is not None
