"""The localities registry: INEGI's (or the national) locality codes, public reference data."""


from django.utils.translation import gettext as _

from aldea.interop.importers.base import (
    Column,
    Importer,
    Reason,
    boolean,
    choice,
    decimal,
    integer,
    text,
)
from aldea.interop.importers.common import LOCALITY_CODE, MUNICIPALITY_CODE, References, floating
from aldea.interop.importers.writing import upsert
from aldea.territories.models import Locality, MarginalisationDegree


class LocalityImporter(Importer):
    kind = "localities"
    model = Locality
    key_column = "code"
    columns = (
        Column("code", LOCALITY_CODE, ("codigo", "clave", "cve_loc", "clave_localidad", "codigo_localidad", "codigo_localidade", "cvegeo", "locality_code"), required=True),
        Column("name", text(150), ("nombre", "nome", "nom_loc", "localidad", "localidade", "locality"), required=True),
        Column("municipality", MUNICIPALITY_CODE, ("municipio", "codigo_municipio", "cve_mun", "clave_municipio", "municipality_code", "codigo_ibge")),
        Column("country", text(2), ("pais", "pais_iso")),
        Column("population", integer(0, 2_000_000_000), ("poblacion", "populacao", "pobtot", "habitantes")),
        Column("households", integer(0, 2_000_000_000), ("hogares", "viviendas", "domicilios", "vivtot")),
        Column("is_rural", boolean, ("rural", "es_rural", "ambito_rural")),
        Column("marginalisation_index", floating(-1000, 1000), ("indice_marginacion", "im_2020", "indice_de_marginacion", "marginalization_index")),
        Column("marginalisation_degree", choice(MarginalisationDegree, muy_bajo="muy_bajo", very_low="muy_bajo", low="bajo", medium="medio", high="alto", very_high="muy_alto"), ("grado_marginacion", "gm_2020", "grado_de_marginacion", "marginalization_degree")),
        Column("latitude", decimal(-90, 90, places=6, max_digits=9), ("latitud", "lat", "latitude")),
        Column("longitude", decimal(-180, 180, places=6, max_digits=9), ("longitud", "lon", "lng", "long")),
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.refs = References()
        self._countries = None

    def key(self, row):
        return row.values["code"]

    def check_row(self, row):
        v = row.values
        if (v.get("latitude") is None) != (v.get("longitude") is None) and ("latitude" in v or "longitude" in v):
            missing = "latitude" if v.get("latitude") is None else "longitude"
            row.reject(missing, Reason.MISSING, "", _("give both latitude and longitude, or neither"))
            return
        code = v["code"]
        municipality_code = v.get("municipality") or (code[:5] if len(code) == 9 and code.isdigit() else "")
        if not municipality_code:
            row.reject("municipality", Reason.MISSING, "", _("give the municipality code"))
            return
        matches = self.refs.municipality_anywhere(municipality_code)
        if v.get("country"):
            if self._countries is None:
                from aldea.territories.models import Country

                self._countries = dict(Country.objects.values_list("code", "id"))
            country_id = self._countries.get(v["country"].upper())
            matches = [m for m in matches if m[1] == country_id]
        if not matches:
            row.reject("municipality", Reason.UNKNOWN, municipality_code,
                       _("no municipality with code %(code)r") % {"code": municipality_code})
        elif len(matches) > 1:
            row.reject("country", Reason.MISSING, "",
                       _("municipality code %(code)s exists in several countries") % {"code": municipality_code})
        else:
            row.municipality_id = matches[0][0]

    def resolve(self, rows):
        existing = self.existing(r.values["code"] for r in rows)
        for row in rows:
            v = row.values
            values = {"code": v["code"], "name": v["name"], "municipality_id": row.municipality_id}
            for name, default in (("population", None), ("households", None), ("is_rural", False),
                                  ("marginalisation_index", None), ("marginalisation_degree", ""),
                                  ("latitude", None), ("longitude", None)):
                if name in v:
                    values[name] = default if v[name] is None else v[name]
            row.model_values = values
        self._existing = existing

    def write(self, rows, *, dry_run):
        return upsert(Locality, rows, lambda r: r.values["code"], self._existing, dry_run)


