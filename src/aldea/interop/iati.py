"""A programme as an IATI 2.03 activity file, with results from its indicators.

One ``iati-activity`` per programme: identifier, reporting organisation, title, description,
participating organisations (the programme's agreement parties and village partners), status,
dates, recipient country, and one result per indicator with its baseline and, per period, its
target and actual. Programme-wide targets are used as they are; an indicator with only village
targets reports, per period, the sum of the villages' targets. The actual of a period that has
begun is the indicator's value from live data (``aldea.reporting.indicators``) over the period
(to today while it runs), for the whole programme or for the villages whose targets were summed.
Codes follow the IATI codelists (ActivityStatus, ActivityDateType,
OrganisationRole, OrganisationType, IndicatorMeasure, ResultType, BudgetType, BudgetStatus,
TransactionType, Sector, LocationReach, GeographicExactness, GeographicLocationClass).

The money comes from the programme's register (``BudgetLine``, ``PlannedDisbursement``,
``FinancialTransaction``), the locations are the villages (their locality's coordinates, else
their municipality's centroid, marked approximate), and the sector is DAC 25030, Business
development services (docs/decisions.md P14).
"""

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from aldea.programmes.models import BudgetLine, FinancialTransaction, IndicatorTarget, Programme
from aldea.reporting.indicators.values import indicator_values

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACTIVITY_STATUS = {"planned": "1", "active": "2", "closed": "4"}  # Pipeline, Implementation, Closed
ORGANISATION_TYPE = {"government": "10", "university": "80", "company": "70", "marketplace": "70", "ngo": "22", "financial": "70"}
# VillagePartnerRole → IATI OrganisationRole (1 Funding, 2 Accountable, 3 Extending, 4 Implementing).
PARTNER_ROLE = {"sponsor": "1", "government_liaison": "3", "host_institution": "4", "trainer_provider": "4", "marketplace": "4"}
KIND_ROLE = {"government": "1", "financial": "1"}
PERCENT_UNITS = {"percent", "percentage", "%", "porcentaje", "pct"}
# DAC 5-digit purpose code (IATI Sector vocabulary 1): 25030 Business development services.
SECTORS = (("25030", "100"),)
BUDGET_TYPE = {BudgetLine.Kind.ORIGINAL: "1", BudgetLine.Kind.REVISED: "2"}
BUDGET_STATUS = {BudgetLine.Status.INDICATIVE: "1", BudgetLine.Status.COMMITTED: "2"}
TRANSACTION_TYPE = {FinancialTransaction.Kind.INCOMING_FUNDS: "1", FinancialTransaction.Kind.COMMITMENT: "2",
                    FinancialTransaction.Kind.DISBURSEMENT: "3", FinancialTransaction.Kind.EXPENDITURE: "4"}
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"


def _language(programme):
    return "pt" if programme.country.code == "BR" else "es"


def _narrative(parent, text, lang, tag="narrative"):
    from lxml import etree

    element = etree.SubElement(parent, tag)
    element.text = text
    element.set(XML_LANG, lang)
    return element


def _text_element(parent, tag, text, lang, **attrs):
    from lxml import etree

    element = etree.SubElement(parent, tag, **{k.replace("_", "-"): v for k, v in attrs.items()})
    _narrative(element, text, lang)
    return element


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def indicator_periods(indicator, *, today=None):
    """(baseline, periods) of an indicator; periods are (start, end, target, actual) tuples.

    Programme-wide targets when there are any; otherwise the villages' summed per period.
    """
    today = today or timezone.localdate()
    targets = list(IndicatorTarget.objects.filter(indicator=indicator).order_by("period_start", "village_id"))
    programme_wide = [t for t in targets if t.village_id is None]
    baseline = None
    if programme_wide:
        periods = [(t.period_start, t.period_end, t.target, _actual(indicator, t.period_start, t.period_end, today))
                   for t in programme_wide]
        with_baseline = [t for t in programme_wide if t.baseline is not None]
        if with_baseline:
            baseline = (with_baseline[0].period_start, with_baseline[0].baseline)
        return baseline, periods
    grouped = defaultdict(list)
    for t in targets:
        grouped[(t.period_start, t.period_end)].append(t)
    periods = []
    for (start, end), rows in sorted(grouped.items()):
        actual = _actual(indicator, start, end, today, village_ids=[t.village_id for t in rows])
        periods.append((start, end, sum((t.target for t in rows), Decimal(0)), actual))
    first = grouped[min(grouped)] if grouped else []
    if first and all(t.baseline is not None for t in first):
        baseline = (min(grouped)[0], sum((t.baseline for t in first), Decimal(0)))
    return baseline, periods


def _actual(indicator, start, end, today, village_ids=None):
    """The indicator's value over a period that has begun (to today while it runs); None before."""
    if start > today or not indicator.definition:
        return None
    return indicator_values(indicator, start=start, end=min(end, today), village_ids=village_ids)[0].value


def _participants(programme):
    from aldea.partners.models import Organisation, VillagePartnerRole

    seen = {}
    for role in VillagePartnerRole.objects.filter(village__programme=programme).select_related("organisation"):
        seen.setdefault(role.organisation_id, (role.organisation, PARTNER_ROLE.get(role.role, "4")))
    for organisation in Organisation.objects.filter(agreements__programme=programme).distinct():
        seen.setdefault(organisation.id, (organisation, KIND_ROLE.get(organisation.kind, "4")))
    return sorted(seen.values(), key=lambda pair: (pair[1], pair[0].name))


def build_activity_file(programme, *, reporting_org_ref=None, reporting_org_name=None, reporting_org_type="80"):
    """The IATI document (an lxml ElementTree) for ``programme``; raises ValueError without an identifier."""
    from lxml import etree

    if not programme.iati_identifier:
        raise ValueError(f"programme {programme.slug} has no IATI identifier; set it before exporting")
    lang = _language(programme)
    now = timezone.now().replace(microsecond=0).isoformat()
    root = etree.Element("iati-activities", version=IATI_VERSION, **{"generated-datetime": now})
    activity = etree.SubElement(root, "iati-activity", **{"last-updated-datetime": programme.updated_at.replace(microsecond=0).isoformat(),
                                                          "default-currency": programme.currency})
    activity.set(XML_LANG, lang)
    etree.SubElement(activity, "iati-identifier").text = programme.iati_identifier
    # An IATI identifier is the reporting organisation's identifier, a hyphen and the activity's own code.
    org_ref = reporting_org_ref or programme.iati_identifier.rsplit("-", 1)[0]
    _text_element(activity, "reporting-org", reporting_org_name or programme.name, lang, ref=org_ref, type=reporting_org_type)
    _text_element(activity, "title", programme.name, lang)
    _text_element(activity, "description", programme.description or programme.name, lang, type="1")
    participants = _participants(programme)
    if not participants:
        _text_element(activity, "participating-org", reporting_org_name or programme.name, lang, ref=org_ref, role="2", type=reporting_org_type)
    for organisation, role in participants:
        _text_element(activity, "participating-org", organisation.name, lang, role=role, type=ORGANISATION_TYPE.get(organisation.kind, "90"))
    etree.SubElement(activity, "activity-status", code=ACTIVITY_STATUS.get(programme.status, "2"))
    started = programme.status in ("active", "closed")
    etree.SubElement(activity, "activity-date", **{"iso-date": programme.starts_on.isoformat(), "type": "2" if started else "1"})
    if programme.ends_on:
        etree.SubElement(activity, "activity-date", **{"iso-date": programme.ends_on.isoformat(), "type": "4" if programme.status == "closed" else "3"})
    etree.SubElement(activity, "recipient-country", code=programme.country.code, percentage="100")
    _locations(activity, programme, lang)
    for code, percentage in SECTORS:
        etree.SubElement(activity, "sector", vocabulary="1", code=code, percentage=percentage)
    _money(activity, programme, lang)
    for indicator in programme.indicators.order_by("code"):
        baseline, periods = indicator_periods(indicator)
        result = etree.SubElement(activity, "result", type="2", **{"aggregation-status": "0"})
        _text_element(result, "title", indicator.name, lang)
        if indicator.description:
            _text_element(result, "description", indicator.description, lang)
        measure = "2" if indicator.unit.strip().lower() in PERCENT_UNITS else "1"
        element = etree.SubElement(result, "indicator", measure=measure, ascending="1" if indicator.is_ascending else "0")
        _text_element(element, "title", f"{indicator.name} ({indicator.unit})", lang)
        if baseline:
            start, value = baseline
            etree.SubElement(element, "baseline", year=str(start.year), **{"iso-date": start.isoformat(), "value": _number(value)})
        for start, end, target, actual in periods:
            period = etree.SubElement(element, "period")
            etree.SubElement(period, "period-start", **{"iso-date": start.isoformat()})
            etree.SubElement(period, "period-end", **{"iso-date": end.isoformat()})
            etree.SubElement(period, "target", value=_number(target))
            if actual is not None:
                etree.SubElement(period, "actual", value=_number(actual))
    return etree.ElementTree(root)


def _value(parent, amount, currency, day):
    from lxml import etree

    element = etree.SubElement(parent, "value", currency=currency, **{"value-date": day.isoformat()})
    element.text = _number(amount)
    return element


def _org(parent, tag, name, ref, lang):
    from lxml import etree

    if not (name or ref):
        return
    element = etree.SubElement(parent, tag, **({"ref": ref} if ref else {}))
    if name:
        _narrative(element, name, lang)


def _money(activity, programme, lang):
    """Budget lines, planned disbursements and transactions, in the XSD's order."""
    from lxml import etree

    for line in programme.budget_lines.order_by("period_start", "name"):
        budget = etree.SubElement(activity, "budget", type=BUDGET_TYPE[line.kind], status=BUDGET_STATUS[line.status])
        etree.SubElement(budget, "period-start", **{"iso-date": line.period_start.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": line.period_end.isoformat()})
        _value(budget, line.amount, line.currency, line.period_start)
    for planned in programme.planned_disbursements.order_by("period_start"):
        element = etree.SubElement(activity, "planned-disbursement", type="1")
        etree.SubElement(element, "period-start", **{"iso-date": planned.period_start.isoformat()})
        etree.SubElement(element, "period-end", **{"iso-date": planned.period_end.isoformat()})
        _value(element, planned.amount, planned.currency, planned.period_start)
        _org(element, "provider-org", planned.provider_name, planned.provider_ref, lang)
        _org(element, "receiver-org", planned.receiver_name, planned.receiver_ref, lang)
    for transaction in programme.transactions.order_by("transacted_on", "id"):
        element = etree.SubElement(activity, "transaction", **({"ref": transaction.reference} if transaction.reference else {}))
        etree.SubElement(element, "transaction-type", code=TRANSACTION_TYPE[transaction.kind])
        etree.SubElement(element, "transaction-date", **{"iso-date": transaction.transacted_on.isoformat()})
        _value(element, transaction.amount, transaction.currency, transaction.transacted_on)
        if transaction.description:
            _text_element(element, "description", transaction.description, lang)
        _org(element, "provider-org", transaction.provider_name, transaction.provider_ref, lang)
        _org(element, "receiver-org", transaction.receiver_name, transaction.receiver_ref, lang)


def _locations(activity, programme, lang):
    """One location per village: reach 1 (where the activity happens), a populated place, its
    point exact when the village has a locality with coordinates, approximate otherwise."""
    from lxml import etree

    from aldea.workspace.charts.programme import village_point

    villages = programme.villages.select_related("municipality", "locality").order_by("slug")
    for village in villages:
        point = village_point(village)
        location = etree.SubElement(activity, "location", ref=f"{programme.slug}-{village.slug}")
        etree.SubElement(location, "location-reach", code="1")
        _text_element(location, "name", village.name, lang)
        _text_element(location, "description", f"{village.municipality.name} · {village.speciality}", lang)
        if point is None:
            continue
        exact = village.locality_id is not None and village.locality.latitude is not None
        etree.SubElement(etree.SubElement(location, "point", srsName=WGS84), "pos").text = f"{point[1]:.5f} {point[0]:.5f}"
        etree.SubElement(location, "exactness", code="1" if exact else "2")
        etree.SubElement(location, "location-class", code="2")
        etree.SubElement(location, "feature-designation", code="PPL")


def find_programme(identifier) -> Programme:
    text = str(identifier)
    programme = Programme.objects.select_related("country").filter(slug=text).first()
    if programme is None and text.isdigit():
        programme = Programme.objects.select_related("country").filter(pk=int(text)).first()
    if programme is None:
        raise LookupError(f"no programme with code or id {text!r}")
    return programme


def export_iati(programme, out, **options) -> int:
    """Write ``programme`` (a Programme, code or id) to ``out`` as IATI 2.03 XML; returns activities written.

    Raises LookupError for an unknown programme and ValueError when it has no IATI identifier.
    """
    if not isinstance(programme, Programme):
        programme = find_programme(programme)
    tree = build_activity_file(programme, **options)
    tree.write(str(Path(out)), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return 1


__all__ = ["build_activity_file", "export_iati", "find_programme", "indicator_periods"]
