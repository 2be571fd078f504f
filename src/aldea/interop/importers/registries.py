"""Importers of the registries: enterprises, people, products, outcomes, localities, enrolments.

Natural keys (what makes a re-import update rather than duplicate):
- enterprises: ``code``;
- products: ``enterprise`` code + ``sku``;
- outcomes: ``enterprise`` code + ``month``;
- localities: ``code`` (INEGI's 9-digit CVE_ENT+CVE_MUN+CVE_LOC, or the national equivalent);
- people: ``id`` (Aldea's own, as exported) or else ``external_id`` (the programme's registration
  number, kept in interop.PersonReference) or else ``email``; one of the three is required;
- enrolments: cohort + person (importers/enrolments.py).
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from aldea.enterprises.models import ChannelKind, Enterprise, FormalStatus, Product, Sector
from aldea.interop.importers.base import (
    Column,
    Importer,
    Reason,
    boolean,
    choice,
    decimal,
    integer,
    month,
    slug,
    text,
)
from aldea.interop.importers.common import (
    LOCALITY_CODE,
    MUNICIPALITY_CODE,
    References,
    code_not_available,
    enterprises_by_code,
    localities_by_code,
    unknown_enterprise,
    unknown_locality,
)
from aldea.interop.importers.enrolments import EnrolmentImporter
from aldea.interop.importers.localities import LocalityImporter
from aldea.interop.importers.people import PersonImporter
from aldea.interop.importers.writing import upsert
from aldea.interop.readers import clean_text, parse_int
from aldea.outcomes.models import OutcomeRecord
from aldea.outcomes.rollups import refresh_outcome_rollups


def channel_list(value, ctx):
    """'marketplace|social' (or separated by commas, semicolons, spaces) → list of ChannelKind."""
    parse_one = choice(
        ChannelKind, marketplace="marketplace", redes="social", redes_sociales="social", social="social",
        tienda_propia="own_store", loja_propria="own_store", presencial="physical", fisica="physical",
    )
    raw = clean_text(value)
    for separator in (",", ";", " "):
        raw = raw.replace(separator, "|")
    kinds = []
    for part in filter(None, (p.strip() for p in raw.split("|"))):
        kind = parse_one(part, ctx)
        if kind not in kinds:
            kinds.append(kind)
    return kinds


def url_list(value, ctx):
    raw = clean_text(value)
    urls = [u for u in (p.strip() for p in raw.replace(" ", "|").split("|")) if u]
    for url in urls:
        if not url.startswith(("http://", "https://")) or len(url) > 500:
            raise ValueError(_("%(value)r is not an http(s) URL") % {"value": url})
    return urls


# --- enterprises -----------------------------------------------------------------------------

GROUP = choice(Enterprise.Group, participante="participant", comparacion="comparison", comparacao="comparison", control="comparison", controle="comparison")


class EnterpriseImporter(Importer):
    kind = "enterprises"
    model = Enterprise
    key_column = "code"
    columns = (
        Column("code", slug(40), ("codigo", "clave", "enterprise_code", "codigo_mipyme", "codigo_empresa", "id_empresa", "cve_empresa"), required=True),
        Column("name", text(200), ("nombre", "nome", "razon_social", "nombre_negocio", "nome_empresa", "business_name", "nombre_empresa", "nome_do_negocio"), required=True),
        Column("programme", slug(60), ("programa", "program")),
        Column("village", slug(80), ("aldea", "aldeia", "pueblo", "village_slug", "aldea_digital", "aldeia_digital")),
        Column("group", GROUP, ("grupo",)),
        Column("municipality", MUNICIPALITY_CODE, ("municipio", "codigo_municipio", "cve_mun", "clave_municipio", "municipality_code", "codigo_ibge", "codigo_do_municipio")),
        Column("locality", LOCALITY_CODE, ("localidad", "localidade", "cve_loc", "clave_localidad", "codigo_localidad", "locality_code", "codigo_localidade")),
        Column("sector", choice(Sector, artesania="crafts", artesanato="crafts", textil="textiles", alimentos="food", agropecuario="agriculture", agro="agriculture", comercio="retail", servicios="services", servicos="services", turismo="tourism", manufatura="manufacturing"), ("sector", "setor", "giro", "actividad"), required=True),
        Column("speciality", text(150), ("especialidad", "especialidade", "specialty")),
        Column("formal_status", choice(FormalStatus, persona_fisica="individual", pessoa_fisica="individual", mei="individual", persona_moral="company", empresa="company", pessoa_juridica="company", cooperativa="cooperative"), ("situacion_formal", "regimen", "regimen_fiscal", "situacao_formal", "formalidad")),
        Column("employees", integer(0, 32767), ("empleados", "empregados", "funcionarios", "numero_empleados", "trabajadores", "trabalhadores")),
        Column("founded_year", integer(1800, 2100), ("ano_fundacion", "ano_de_fundacion", "ano_de_fundacao", "ano_fundacao", "year_founded", "fundacion")),
        Column("is_women_led", boolean, ("women_led", "liderada_por_mujer", "liderada_por_mujeres", "dirigida_por_mujer", "liderada_por_mulher", "liderada_por_mulheres")),
        Column("baseline_channels", channel_list, ("canales_base", "canales_de_venta", "canales", "canais_de_venda", "canais")),
        Column("has_showcase_consent", boolean, ("showcase_consent", "consentimiento_vitrina", "consentimento_vitrine", "vitrina")),
        Column("owner_id", integer(1), ("id_dueno", "id_duena", "id_proprietario", "id_propietario")),
        Column("owner_external_id", text(60), ("dueno_id_externo", "folio_dueno", "proprietario_id_externo", "owner_ref")),
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.refs = References()
        self._places = {}

    def key(self, row):
        return row.values["code"]

    def check_row(self, row):
        v = row.values
        place = (v.get("programme"), v.get("village"), v.get("municipality"))
        found = self._places.get(place)
        if found is None:
            # A file names a handful of programme/village/municipality combinations: each is
            # checked once.
            found = self._places[place] = self._place(*place)
        row.programme, row.village, row.municipality_id, problems = found
        for problem in problems:
            row.reject(*problem)

    def _place(self, programme_slug, village_slug, municipality_code):
        """(programme, village, municipality id, problems) for one combination of the three.

        Programmes and villages are those the importer may write in (ImportScope); one that does
        not exist and one out of reach get the same words.
        """
        programmes, villages = self.scope.programmes, self.scope.villages
        programme_slug = programme_slug or self.defaults.get("programme")
        if programme_slug:
            programme = programmes.get(programme_slug)
        else:
            programme = next(iter(programmes.values())) if len(programmes) == 1 else None
            if programme is None and village_slug in villages:
                # The village says which programme: field forms carry the village, not the programme.
                programme = villages[village_slug].programme
        if programme is None:
            if programme_slug:
                return None, None, None, [("programme", Reason.UNKNOWN, programme_slug,
                                           _("no programme %(code)r that you may import into") % {"code": programme_slug})]
            return None, None, None, [("programme", Reason.MISSING, "",
                                       _("several programmes exist: give the programme column or --programme"))]
        problems, village, municipality_id = [], None, None
        if village_slug:
            village = villages.get(village_slug)
            if village is None or village.programme_id != programme.id:
                village = None
                problems.append(("village", Reason.UNKNOWN, village_slug,
                                 _("no village %(code)r in programme %(programme)s that you may import into")
                                 % {"code": village_slug, "programme": programme.slug}))
        if municipality_code:
            municipality_id = self.refs.municipality_id(programme.country_id, municipality_code)
            if municipality_id is None:
                problems.append(("municipality", Reason.UNKNOWN, municipality_code,
                                 _("no municipality with code %(code)r in %(country)s")
                                 % {"code": municipality_code, "country": programme.country.code}))
        return programme, village, municipality_id, problems

    def _owners(self, rows):
        """(external id → person id, programme id → person ids that may own its MSMEs) for a batch.

        A person out of the importer's reach is left out, so that a row naming them reads as a
        row naming nobody: one query per programme in the batch, whatever the number of rows.
        """
        owner_refs = {}
        if any(r.values.get("owner_external_id") for r in rows):
            from aldea.interop.models import PersonReference

            owner_refs = dict(PersonReference.objects.filter(
                external_id__in={r.values["owner_external_id"] for r in rows if r.values.get("owner_external_id")}
            ).values_list("external_id", "person_id"))
        wanted = {}
        for row in rows:
            v = row.values
            person_id = v.get("owner_id") or owner_refs.get(v.get("owner_external_id"))
            if person_id:
                wanted.setdefault(row.programme.id, set()).add(person_id)
        allowed = {
            programme_id: set(self.scope.owners_in(programme_id).filter(id__in=ids).values_list("id", flat=True))
            for programme_id, ids in wanted.items()
        }
        return owner_refs, allowed

    def resolve(self, rows):
        localities = localities_by_code(r.values["locality"] for r in rows if r.values.get("locality"))
        owner_refs, allowed_owners = self._owners(rows)
        existing, taken = self.existing_in_reach((r.values["code"] for r in rows), self.scope.enterprises_to_change())
        for row in rows:
            v = row.values
            if v["code"] in taken:
                row.reject("code", Reason.UNAVAILABLE, v["code"], code_not_available())
                continue
            current = existing.get(v["code"])
            if current is not None and current.programme_id != row.programme.id:
                # An import never moves an MSME: its outcomes, engagements and people would follow.
                row.reject("programme", Reason.BAD_VALUE, row.programme.slug,
                           _("MSME %(code)s belongs to another programme; an import does not move MSMEs between programmes")
                           % {"code": v["code"]})
                continue
            values = {"code": v["code"], "name": v["name"], "programme_id": row.programme.id}
            if "village" in v:
                values["village_id"] = row.village.id if row.village else None
            locality_id = None
            if v.get("locality"):
                found = localities.get(v["locality"])
                if found is None:
                    row.reject("locality", Reason.UNKNOWN, v["locality"], unknown_locality(v["locality"]))
                    continue
                locality_id, locality_municipality = found
                if row.municipality_id and row.municipality_id != locality_municipality:
                    row.reject("locality", Reason.UNKNOWN, v["locality"],
                               _("locality %(locality)s is not in municipality %(municipality)s")
                               % {"locality": v["locality"], "municipality": v["municipality"]})
                    continue
                row.municipality_id = row.municipality_id or locality_municipality
            if "locality" in v:
                values["locality_id"] = locality_id
            if not row.municipality_id and row.village is not None:
                row.municipality_id = row.village.municipality_id
            if row.municipality_id:
                values["municipality_id"] = row.municipality_id
            elif v["code"] not in existing:
                row.reject("municipality", Reason.MISSING, "", _("give the municipality code (or a locality code)"))
                continue
            group = v.get("group") or "participant"
            if "group" in v or v["code"] not in existing:
                values["group"] = group
            village_id = values.get("village_id", existing[v["code"]].village_id if v["code"] in existing else None)
            if group == "participant" and village_id is None:
                row.reject("village", Reason.MISSING, "", _("participants belong to a village (or set group to comparison)"))
                continue
            for name, default in (("sector", None), ("speciality", ""), ("formal_status", "informal"), ("employees", 1),
                                  ("founded_year", None), ("is_women_led", False), ("baseline_channels", []),
                                  ("has_showcase_consent", False)):
                if name in v:
                    values[name] = default if v[name] is None else v[name]
            may_own = allowed_owners.get(row.programme.id, ())
            if v.get("owner_id"):
                if v["owner_id"] not in may_own:
                    row.reject("owner_id", Reason.UNKNOWN, v["owner_id"],
                               _("no person with id %(id)s that you may name owner of this MSME") % {"id": v["owner_id"]})
                    continue
                values["owner_id"] = v["owner_id"]
            elif v.get("owner_external_id"):
                if owner_refs.get(v["owner_external_id"]) not in may_own:
                    row.reject("owner_external_id", Reason.UNKNOWN, v["owner_external_id"],
                               _("no person with external id %(id)r that you may name owner of this MSME")
                               % {"id": v["owner_external_id"]})
                    continue
                values["owner_id"] = owner_refs[v["owner_external_id"]]
            elif "owner_id" in v or "owner_external_id" in v:
                values["owner_id"] = None
            row.model_values = values
        self._existing = existing

    def write(self, rows, *, dry_run):
        return upsert(Enterprise, rows, lambda r: r.values["code"], self._existing, dry_run)


# --- products --------------------------------------------------------------------------------

class ProductImporter(Importer):
    kind = "products"
    model = Product
    key_column = "sku"
    columns = (
        Column("enterprise", slug(40), ("empresa", "mipyme", "codigo_empresa", "enterprise_code", "negocio", "codigo_mipyme"), required=True),
        Column("sku", text(60), ("clave_producto", "codigo_producto", "codigo_do_produto", "product_code"), required=True),
        Column("title", text(150), ("titulo", "nombre", "nome", "nombre_producto", "nome_do_produto", "name"), required=True),
        Column("description", text(5000), ("descripcion", "descricao")),
        Column("category", text(150), ("categoria",)),
        Column("price", decimal(Decimal("0.01"), Decimal("9999999999.99"), max_digits=12), ("precio", "preco", "valor"), required=True),
        Column("currency", text(3), ("moneda", "moeda", "divisa")),
        Column("stock", integer(0, 2_000_000_000), ("existencias", "inventario", "estoque", "cantidad", "quantidade")),
        Column("brand", text(100), ("marca",)),
        Column("gtin", text(14), ("codigo_de_barras", "ean", "upc", "codigo_barras")),
        Column("mpn", text(70), ("numero_de_parte",)),
        Column("is_handmade", boolean, ("hecho_a_mano", "artesanal", "feito_a_mao", "handmade")),
        Column("image_urls", url_list, ("imagenes", "imagens", "fotos", "images", "image_links")),
    )

    def key(self, row):
        return (row.values["enterprise"], row.values["sku"])

    def check_row(self, row):
        v = row.values
        if v.get("gtin") and not (v["gtin"].isdigit() and 8 <= len(v["gtin"]) <= 14):
            row.reject("gtin", Reason.BAD_VALUE, v["gtin"], _("a GTIN has 8 to 14 digits"))
        if v.get("currency") and not (len(v["currency"]) == 3 and v["currency"].isalpha()):
            row.reject("currency", Reason.BAD_VALUE, v["currency"], _("use an ISO 4217 code such as MXN"))

    def resolve(self, rows):
        enterprises = enterprises_by_code((r.values["enterprise"] for r in rows), self.scope.enterprises_with_products_to_change())
        # Only products of MSMEs in reach are looked up: a SKU is unique per MSME.
        existing = {
            (p.enterprise_id, p.sku): p
            for p in Product.objects.filter(enterprise_id__in=set(enterprises.values()), sku__in={r.values["sku"] for r in rows})
        }
        for row in rows:
            v = row.values
            enterprise_id = enterprises.get(v["enterprise"])
            if enterprise_id is None:
                row.reject("enterprise", Reason.UNKNOWN, v["enterprise"], unknown_enterprise(v["enterprise"]))
                continue
            row.enterprise_id = enterprise_id
            values = {"enterprise_id": enterprise_id, "sku": v["sku"], "title": v["title"], "price": v["price"]}
            for name, default in (("description", ""), ("category", ""), ("currency", "MXN"), ("stock", 0),
                                  ("brand", ""), ("gtin", ""), ("mpn", ""), ("is_handmade", False), ("image_urls", [])):
                if name in v:
                    values[name] = default if v[name] is None else v[name]
            if values.get("currency"):
                values["currency"] = values["currency"].upper()
            row.model_values = values
        self._existing = existing

    def write(self, rows, *, dry_run):
        return upsert(Product, rows, lambda r: (r.enterprise_id, r.values["sku"]), self._existing, dry_run)


# --- outcomes --------------------------------------------------------------------------------

class OutcomeImporter(Importer):
    kind = "outcomes"
    model = OutcomeRecord
    key_column = "month"
    columns = (
        Column("enterprise", slug(40), ("empresa", "mipyme", "codigo_empresa", "enterprise_code", "negocio", "codigo_mipyme"), required=True),
        Column("month", month, ("mes", "periodo", "period", "mes_ano"), required=True),
        Column("currency", text(3), ("moneda", "moeda")),
        Column("total_sales", decimal(0, Decimal("999999999999.99")), ("ventas_totales", "ventas", "vendas_totais", "vendas", "sales")),
        Column("online_sales", decimal(0, Decimal("999999999999.99")), ("ventas_en_linea", "ventas_online", "vendas_online", "vendas_on_line", "ecommerce_sales")),
        Column("orders", integer(0, 2_000_000_000), ("pedidos", "ordenes", "ordenes_en_linea", "pedidos_online")),
        Column("units", integer(0, 2_000_000_000), ("unidades", "unidades_vendidas", "units_sold")),
        Column("employees", integer(0, 32767), ("empleados", "empregados", "funcionarios")),
        Column("export_markets", integer(0, 32767), ("mercados_exportacion", "mercados_de_exportacao", "paises_exportacion")),
        Column("source", choice(OutcomeRecord.Source, encuesta="survey", pesquisa="survey", importacion="import", importacao="import", estimacion="estimate", estimativa="estimate"), ("fuente", "fonte")),
    )

    def key(self, row):
        return (row.values["enterprise"], row.values["month"])

    def resolve(self, rows):
        enterprises = enterprises_by_code((r.values["enterprise"] for r in rows), self.scope.enterprises_with_outcomes_to_change())
        months = {r.values["month"] for r in rows}
        existing = {
            (o.enterprise_id, o.month): o
            for o in OutcomeRecord.objects.filter(enterprise_id__in=set(enterprises.values()), month__in=months)
        }
        for row in rows:
            v = row.values
            enterprise_id = enterprises.get(v["enterprise"])
            if enterprise_id is None:
                row.reject("enterprise", Reason.UNKNOWN, v["enterprise"], unknown_enterprise(v["enterprise"]))
                continue
            row.enterprise_id = enterprise_id
            values = {"enterprise_id": enterprise_id, "month": v["month"]}
            for name, default in (("currency", "MXN"), ("total_sales", Decimal("0.00")), ("online_sales", Decimal("0.00")),
                                  ("orders", 0), ("units", 0), ("employees", None), ("export_markets", 0), ("source", "survey")):
                if name in v:
                    values[name] = default if v[name] is None else v[name]
            current = existing.get((enterprise_id, v["month"]))
            total = values.get("total_sales", current.total_sales if current else Decimal(0))
            online = values.get("online_sales", current.online_sales if current else Decimal(0))
            if online > total:
                row.reject("online_sales", Reason.OUT_OF_RANGE, v.get("online_sales"),
                           _("online sales %(online)s exceed total sales %(total)s") % {"online": online, "total": total})
                continue
            if not self._keep_precedence(row, values, current):
                continue
            row.model_values = values
        self._existing = existing

    def _keep_precedence(self, row, values, current) -> bool:
        """Record each figure's source; refuse a row that would replace a figure from a more
        trusted source (a channel's or an estimate's figure never overwrites a surveyed one).

        A file's figures come from its source column, or from a survey when it has none.
        """
        source = values.get("source") or OutcomeRecord.Source.SURVEY
        given = [f for f in OutcomeRecord.FIGURES if f in values]
        if current is None:
            values["figure_sources"] = dict.fromkeys(given, source)
            return True
        changed = [f for f in given if getattr(current, f) != values[f]]
        for figure in changed:
            if not current.may_replace(figure, source):
                held = current.source_of(figure)
                row.reject(figure, Reason.PRECEDENCE, row.values.get(figure),
                           _("the stored value %(value)s came from %(held)s, which a row from %(source)s does not replace;"
                             " set the source column to %(held_code)s to correct it") % {
                               "value": getattr(current, figure), "held": OutcomeRecord.Source(held).label,
                               "source": OutcomeRecord.Source(source).label, "held_code": held})
                return False
        if changed or values.get("source", current.source) != current.source:
            values["figure_sources"] = current.figure_sources_after(changed, source)
        return True

    def write(self, rows, *, dry_run):
        counts = upsert(OutcomeRecord, rows, lambda r: (r.enterprise_id, r.values["month"]), self._existing, dry_run)
        if not dry_run:
            refresh_outcome_rollups(enterprise_months=[(r.enterprise_id, r.values["month"]) for r in rows])
        return counts


IMPORTERS = {
    "enterprises": EnterpriseImporter,
    "people": PersonImporter,
    "products": ProductImporter,
    "outcomes": OutcomeImporter,
    "localities": LocalityImporter,
    "enrolments": EnrolmentImporter,
}

__all__ = ["IMPORTERS", "parse_int"]
