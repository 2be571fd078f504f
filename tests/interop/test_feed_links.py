"""Every link the Google and Meta feeds publish answers 200: each product's page on the showcase
and each uploaded photo; the RSS channel's link comes from ALDEA_PUBLIC_URL."""

import csv
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from aldea.enterprises.models import Enterprise, Product
from aldea.enterprises.services import add_product_photo
from aldea.interop.feeds import write_feed
from tests.photos import upload

BASE = "https://aldea.example.mx"
G = "{http://base.google.com/ns/1.0}"
pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def catalogue(world):
    village = world.village
    ruiz = Enterprise.objects.create(programme=world.programme, village=village, code="tapetes-ruiz",
                                     name="Tapetes Ruiz", municipality=village.municipality, sector="textiles",
                                     has_showcase_consent=True)
    uploaded = Product.objects.create(
        enterprise=ruiz, sku="TAP 001/A", title="Tapete zapoteco", description="Lana.", price=Decimal("2450.50"),
        stock=3, is_handmade=True,
    )
    photos = [add_product_photo(user=world.manager, product=uploaded, upload=upload(width=1000, height=800))
              for _ in range(2)]
    linked = Product.objects.create(
        enterprise=ruiz, sku="COJ-01", title="Cojín bordado", description="Cojín de lana.", price=Decimal(380),
        stock=10, brand="Ruiz", gtin="7501234567897", image_urls=["https://img.example.mx/coj.jpg"],
    )
    return {"uploaded": uploaded, "linked": linked, "photos": photos}


def local(client, url):
    assert url.startswith(BASE + "/"), url
    return client.get(url.removeprefix(BASE))


def google_rows(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def meta_rows(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(("channel", "name", "read"), [("google", "g.tsv", google_rows), ("meta", "m.csv", meta_rows)])
def test_every_product_link_in_the_feed_answers_200(channel, name, read, tmp_path, client, catalogue):
    report = write_feed(channel, tmp_path / name, base_url=BASE)
    rows = read(tmp_path / name)
    assert report.written == len(rows) == 2
    for row in rows:
        assert local(client, row["link"]).status_code == 200, row["link"]


def test_every_item_link_of_the_google_xml_feed_answers_200(tmp_path, client, catalogue):
    write_feed("google", tmp_path / "g.xml", base_url=BASE)
    items = ET.parse(tmp_path / "g.xml").getroot().findall("./channel/item")
    assert len(items) == 2
    for item in items:
        assert local(client, item.find(f"{G}link").text).status_code == 200


@pytest.mark.parametrize(("channel", "name", "read"), [("google", "g.tsv", google_rows), ("meta", "m.csv", meta_rows)])
def test_uploaded_photos_are_the_feeds_images_and_answer_200(channel, name, read, tmp_path, client, catalogue):
    write_feed(channel, tmp_path / name, base_url=BASE)
    rows = {row["title"]: row for row in read(tmp_path / name)}
    first, second = catalogue["photos"]
    uploaded = rows["Tapete zapoteco"]
    assert uploaded["image_link"] == f"{BASE}/photos/{first.token}.jpg"
    assert uploaded["additional_image_link"] == f"{BASE}/photos/{second.token}.jpg"
    for url in (uploaded["image_link"], uploaded["additional_image_link"]):
        response = local(client, url)
        assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert rows["Cojín bordado"]["image_link"] == "https://img.example.mx/coj.jpg"


def test_feeds_take_the_public_url_when_no_base_url_is_given(tmp_path, catalogue, settings):
    settings.PUBLIC_URL = "https://vitrina.example.org"
    report = write_feed("shopify", tmp_path / "s.csv", base_url="")
    assert report.written == 2
    text = (tmp_path / "s.csv").read_text(encoding="utf-8")
    assert f"https://vitrina.example.org/photos/{catalogue['photos'][0].token}.jpg" in text


def test_uploaded_photos_without_any_public_address_are_reported_with_the_fix(tmp_path, catalogue, settings):
    settings.PUBLIC_URL = ""
    report = write_feed("google", tmp_path / "g.tsv", base_url="")
    fixes = [(p.product, p.fix) for p in report.problems if p.field == "image_link"]
    assert fixes == [("tapetes-ruiz/TAP 001/A",
                      "give --base-url (or set ALDEA_PUBLIC_URL) so the uploaded photos have an address")]


def test_the_rss_channel_link_is_the_public_showcase(tmp_path, catalogue, settings):
    settings.PUBLIC_URL = "https://vitrina.example.org"
    write_feed("google", tmp_path / "g.xml", base_url=BASE)
    channel = ET.parse(tmp_path / "g.xml").getroot().find("./channel")
    assert channel.find("link").text == "https://vitrina.example.org/aldeas/"
    assert "aldea.example/" not in (tmp_path / "g.xml").read_text(encoding="utf-8").replace(BASE, "")


def test_without_a_public_url_the_rss_channel_link_follows_the_items(tmp_path, catalogue, settings):
    settings.PUBLIC_URL = ""
    write_feed("google", tmp_path / "g.xml", base_url=BASE)
    assert ET.parse(tmp_path / "g.xml").getroot().find("./channel/link").text == f"{BASE}/aldeas/"
