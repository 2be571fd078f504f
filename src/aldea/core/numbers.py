"""Numbers typed by people: the decimal mark of their language, thousands grouped in threes.

In a decimal-comma language (Portuguese) "1.500" is one thousand five hundred and "12,5" twelve
and a half; in a decimal-point language (Spanish as written in Mexico, English) "1,500" is one
thousand five hundred and "12.5" twelve and a half. A separator that cannot be a thousands
separator (a group that is not three digits) makes the text not a number, rather than a number
it was not meant to be.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import get_format

_SPACES = re.compile(r"[\s\u00a0\u202f']")


def decimal_mark() -> str:
    """The decimal mark of the active language ("," or ".")."""
    return get_format("DECIMAL_SEPARATOR")


def parse_number(text: str, mark: str | None = None) -> Decimal:
    """``text`` as a Decimal, read with ``mark`` (the active language's when None).

    Raises ValueError when it is not a number in that convention.

    >>> parse_number("1.500,25", ","), parse_number("1,500.25", "."), parse_number("-12,5", ",")
    (Decimal('1500.25'), Decimal('1500.25'), Decimal('-12.5'))
    """
    mark = mark or decimal_mark()
    group = "." if mark == "," else ","
    raw = _SPACES.sub("", str(text)).strip()
    sign = ""
    if raw and raw[0] in "+-":
        sign, raw = raw[0], raw[1:]
    whole, _sep, fraction = raw.partition(mark)
    if group in fraction or not raw:
        raise ValueError(text)
    if group in whole:
        first, *rest = whole.split(group)
        if not (1 <= len(first) <= 3 and first.isdigit() and all(len(g) == 3 and g.isdigit() for g in rest)):
            raise ValueError(text)
        whole = first + "".join(rest)
    if not (whole.isdigit() or (whole == "" and fraction)) or (fraction and not fraction.isdigit()):
        raise ValueError(text)
    try:
        return Decimal(f"{sign}{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:
        raise ValueError(text) from None
