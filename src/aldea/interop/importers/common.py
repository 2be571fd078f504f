"""What the registry importers share: official territorial codes, and the lookups (and their
words) for references that every importer resolves the same way."""

from django.utils.translation import gettext as _

from aldea.interop.importers.base import RangeError
from aldea.interop.readers import clean_text
from aldea.interop.readers import parse_decimal as readers_parse_decimal
from aldea.territories.models import AdministrativeArea, Locality


def territory_code(length):
    """An official code; restores the leading zero a spreadsheet drops ('1001' → '01001').

    INEGI codes have fixed widths (5 for municipalities, 9 for localities) and may start with 0;
    IBGE codes (7 digits) never do, so padding only ever applies to the Mexican widths.
    """
    def parse(value, ctx):
        result = clean_text(value)
        if result.endswith(".0") and result[:-2].isdigit():
            result = result[:-2]
        if result.isdigit() and len(result) == length - 1:
            result = "0" + result
        if len(result) > 20:
            raise ValueError(_("longer than %(count)s characters") % {"count": 20})
        return result
    return parse


MUNICIPALITY_CODE = territory_code(5)
LOCALITY_CODE = territory_code(9)


def floating(minimum, maximum):
    def parse(value, ctx):
        number = float(readers_parse_decimal(value, ctx.decimal_mark))
        if not minimum <= number <= maximum:
            raise RangeError(_("%(value)s is not between %(minimum)s and %(maximum)s") % {
                "value": number, "minimum": minimum, "maximum": maximum})
        return number
    return parse


class References:
    """Territorial reference data (public, for every importer): municipalities read once per
    import and country; localities are looked up per batch."""

    def __init__(self):
        self._municipalities = {}

    def municipality_id(self, country_id, code):
        if country_id not in self._municipalities:
            self._municipalities[country_id] = dict(
                AdministrativeArea.objects.filter(country_id=country_id, level="municipality").values_list("code", "id")
            )
        return self._municipalities[country_id].get(code)

    def municipality_anywhere(self, code):
        """(id, country_id) pairs of municipalities with ``code`` in any country."""
        return list(AdministrativeArea.objects.filter(level="municipality", code=code).values_list("id", "country_id"))


def unknown_locality(code):
    return _("no locality with code %(code)r") % {"code": code}


def localities_by_code(codes):
    return {
        code: (pk, municipality_id)
        for code, pk, municipality_id in Locality.objects.filter(code__in=set(codes)).values_list("code", "id", "municipality_id")
    }


def enterprises_by_code(codes, changeable):
    """code → id among ``changeable``: an MSME out of the importer's reach is as unknown as one
    that does not exist (one query per batch)."""
    return dict(changeable.filter(code__in=set(codes)).values_list("code", "id"))


def unknown_enterprise(code):
    """The same words for an MSME that does not exist and one the importer may not change."""
    return _("no MSME with code %(code)r whose records you may change") % {"code": code}


def code_not_available():
    """The same words for every key that belongs to a record out of the importer's reach."""
    return _("this code is already in use; choose another one")


