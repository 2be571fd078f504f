"""The IATI export validates against the IATI 2.03 activity schema shipped with these tests."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from aldea.enterprises.models import Enterprise
from aldea.interop.iati import export_iati, indicator_periods
from aldea.partners.models import Agreement, Organisation, VillagePartnerRole
from aldea.programmes.models import Indicator, IndicatorTarget

SCHEMA = Path(__file__).parent / "iati-2.03" / "iati-activities-schema.xsd"


@pytest.fixture(scope="module")
def iati_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


WOMEN_LED_SHARE = {
    "numerator": {"fact": "msmes", "measure": "count", "filters": {"group": "participant", "is_women_led": True}},
    "denominator": {"fact": "msmes", "measure": "count", "filters": {"group": "participant"}},
}


@pytest.fixture
def indicators(programme, territory):
    teotitlan, arrazola = programme.villages.get(slug="teotitlan"), programme.villages.get(slug="arrazola")
    # Five participant MSMEs: two of three women-led in Teotitlán, one of two in Arrazola.
    for n, (village, women_led) in enumerate(
        [(teotitlan, True), (teotitlan, True), (teotitlan, False), (arrazola, True), (arrazola, False)]
    ):
        Enterprise.objects.create(programme=programme, village=village, code=f"msme-{n}", name=f"MIPYME {n}",
                                  municipality=village.municipality, sector="crafts", is_women_led=women_led)
    online = Indicator.objects.create(
        programme=programme, code="msmes-selling-online", name="MIPYMES participantes", unit="count",
        period_type="undated",
        definition={"numerator": {"fact": "msmes", "measure": "count", "filters": {"group": "participant"}}},
    )
    IndicatorTarget.objects.create(indicator=online, period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31),
                                   baseline=Decimal(12), target=Decimal(80))
    IndicatorTarget.objects.create(indicator=online, period_start=datetime.date(2030, 1, 1), period_end=datetime.date(2030, 12, 31),
                                   target=Decimal(150))
    share = Indicator.objects.create(programme=programme, code="women-led-share", name="Participación de MIPYMES lideradas por mujeres",
                                     unit="percent", scale=100, period_type="undated", definition=WOMEN_LED_SHARE)
    for village, baseline, target in ((teotitlan, "40", "55"), (arrazola, "30", "45")):
        IndicatorTarget.objects.create(indicator=share, village=village, period_start=datetime.date(2024, 1, 1),
                                       period_end=datetime.date(2024, 12, 31), baseline=Decimal(baseline), target=Decimal(target))
    uabjo = Organisation.objects.create(slug="uabjo", name="Universidad Autónoma Benito Juárez de Oaxaca", kind="university", helix="academia", country=territory["mexico"])
    sedeco = Organisation.objects.create(slug="sedeco-oax", name="Secretaría de Economía de Oaxaca", kind="government", helix="government", country=territory["mexico"])
    agreement = Agreement.objects.create(programme=programme, code="conv-2024", title="Convenio", starts_on=datetime.date(2024, 1, 1))
    agreement.parties.set([uabjo, sedeco])
    VillagePartnerRole.objects.create(village=teotitlan, organisation=uabjo, role="host_institution")
    return online, share


def test_iati_export_is_valid_against_the_2_03_schema(tmp_path, indicators, iati_schema):
    out = tmp_path / "iati.xml"
    call_command("export", "iati", "--programme", "aldeas-oaxaca", "--out", str(out))
    document = etree.parse(str(out))
    assert iati_schema.validate(document), iati_schema.error_log
    activity = document.getroot().find("iati-activity")
    assert activity.findtext("iati-identifier") == "XM-DAC-41301-ALDEA-OAX"
    assert activity.find("activity-status").get("code") == "2"
    assert [o.get("role") for o in activity.findall("participating-org")] == ["1", "4"]
    results = activity.findall("result")
    assert len(results) == 2
    online = results[0].find("indicator")
    assert online.find("baseline").get("value") == "12"
    # The 2030 period has not begun: no empty <actual/>. The 2024 actual is counted from the data.
    assert [(p.find("target").get("value"), p.find("actual") is None) for p in online.findall("period")] == [("80", False), ("150", True)]
    assert online.find("period/actual").get("value") == "5"


def test_village_targets_are_summed_when_there_is_no_programme_target(indicators):
    _, share = indicators
    baseline, periods = indicator_periods(share)
    assert baseline == (datetime.date(2024, 1, 1), Decimal(70))
    # The actual pools the two villages: 3 of 5 MSMEs are women-led.
    assert periods == [(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), Decimal(100), Decimal("60.00"))]


def test_a_programme_without_indicators_or_partners_is_still_valid(tmp_path, programme, iati_schema):
    export_iati(programme, tmp_path / "min.xml")
    assert iati_schema.validate(etree.parse(str(tmp_path / "min.xml"))), iati_schema.error_log


def test_a_programme_without_iati_identifier_is_refused(tmp_path, programme):
    programme.iati_identifier = ""
    programme.save()
    with pytest.raises(CommandError, match="IATI identifier"):
        call_command("export", "iati", "--programme", str(programme.pk), "--out", str(tmp_path / "x.xml"))
