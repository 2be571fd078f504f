"""Each channel's feed: its format, its required-field check, the handmade "no identifier" convention."""

import csv
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from aldea.enterprises.models import Enterprise, Product
from aldea.interop.feeds import CHANNELS, mercadolibre_categories, write_feed
from aldea.interop.feeds.category_attributes import attribute_table, description_attributes
from aldea.interop.feeds.channels import check_products
from aldea.interop.feeds.mercadolibre_categories import category_table, leaf_category

BASE = "https://aldea.example.mx"
SELLER = "A2EXAMPLESELLER"


@pytest.fixture
def catalogue(programme):
    village = programme.villages.get(slug="teotitlan")
    ruiz = Enterprise.objects.create(programme=programme, village=village, code="tapetes-ruiz", name="Tapetes Ruiz",
                                     municipality=village.municipality, sector="textiles", has_showcase_consent=True)
    handmade = Product.objects.create(
        enterprise=ruiz, sku="TAP-001", title="Tapete zapoteco grecas 1.20 x 0.80 m", category="MLM1631",
        description="Lana teñida con grana cochinilla.\nTejido en telar de pedal.\nMaterial: lana", price=Decimal("2450.50"), stock=3,
        is_handmade=True, image_urls=["https://img.example.mx/tap1.jpg", "https://img.example.mx/tap1b.jpg"],
    )
    branded = Product.objects.create(
        enterprise=ruiz, sku="COJ-01", title="Cojín bordado", category="MLM1582", description="Cojín de lana.\nMaterial: lana",
        price=Decimal(380), stock=10, brand="Ruiz", gtin="7501234567897", image_urls=["https://img.example.mx/coj.jpg"],
    )
    incomplete = Product.objects.create(enterprise=ruiz, sku="X-1", title="Sin datos", category="Tapetes", price=Decimal(10))
    return {"handmade": handmade, "branded": branded, "incomplete": incomplete}


# Leaf rows of the tests' own (ids in the 99xxx range are made up; MLM1631 and MLM1582 are the
# fixture products' ids): the shipped tables hold no leaf, see their headers.
TEST_LEAVES = {
    "mlm": [
        'MLM1631,Tapetes (test),"Hogar, Muebles y Jardín > Tapetes (test)",true,Hogar > Tapetes',
        'MLM1582,Cojines (test),"Hogar, Muebles y Jardín > Cojines (test)",true,',
        'MLM99001,Jarras (test),"Hogar, Muebles y Jardín > Jarras (test)",true,',
        'MLM99002,Rebozos (test),"Ropa, Bolsas y Calzado > Rebozos (test)",true,Ropa > Rebozos',
        'MLM99005,Alebrijes (test),Antigüedades y Colecciones > Alebrijes (test),true,',
    ],
    "mlb": [
        'MLB99003,Bolsas (test),"Calçados, Roupas e Bolsas > Bolsas (test)",true,',
        'MLB99004,Redes (test),"Casa, Móveis e Decoração > Redes (test)",true,',
    ],
}


@pytest.fixture(autouse=True)
def leaf_table(tmp_path_factory, monkeypatch):
    """The shipped category tables plus the tests' leaf rows, read from a folder of the test's own."""
    folder = tmp_path_factory.mktemp("categories")
    for site, rows in TEST_LEAVES.items():
        shipped = mercadolibre_categories.table_file(site).read_text(encoding="utf-8")
        (folder / f"mercadolibre_categories_{site}.csv").write_text(shipped.rstrip("\n") + "\n" + "\n".join(rows) + "\n",
                                                                   encoding="utf-8")
    monkeypatch.setattr(mercadolibre_categories, "TABLE_DIR", folder)
    category_table.cache_clear()
    yield folder
    category_table.cache_clear()


def test_google_tsv_uses_identifier_exists_no_for_handmade_goods(tmp_path, catalogue):
    report = write_feed("google", tmp_path / "google.tsv", base_url=BASE)
    assert (report.checked, report.written, report.left_out) == (3, 2, 1)
    with open(tmp_path / "google.tsv", encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh, delimiter="\t")}
    assert rows["tapetes-ruiz-TAP-001"]["identifier_exists"] == "no"
    assert rows["tapetes-ruiz-TAP-001"]["price"] == "2450.50 MXN"
    assert rows["tapetes-ruiz-TAP-001"]["availability"] == "in_stock"
    assert rows["tapetes-ruiz-COJ-01"]["identifier_exists"] == "yes" and rows["tapetes-ruiz-COJ-01"]["gtin"] == "7501234567897"
    assert "\n" not in rows["tapetes-ruiz-TAP-001"]["description"]


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_feeds_publish_only_producers_who_consented_to_be_shown(tmp_path, catalogue, channel):
    village = catalogue["handmade"].enterprise.village
    private = Enterprise.objects.create(
        programme=village.programme, village=village, code="taller-privado", name="Taller privado",
        municipality=village.municipality, sector="textiles",
    )
    Product.objects.create(enterprise=private, sku="PRIV-1", title="Tapete privado", category="MLM1631",
                           description="No autorizado.", price=Decimal(100), stock=1, is_handmade=True,
                           image_urls=["https://img.example.mx/priv.jpg"])
    report = write_feed(channel, tmp_path / f"feed.{channel}", base_url=BASE, seller_id=SELLER)
    written = "".join(path.read_bytes().decode("utf-8", "replace") for path in report.files if path.suffix != ".xlsx")
    assert "tapetes-ruiz" in written.lower() or "TAP-001" in written
    assert "PRIV-1" not in written and "taller-privado" not in written


def test_google_xml_feed_is_well_formed(tmp_path, catalogue):
    write_feed("google", tmp_path / "google.xml", base_url=BASE)
    items = ET.parse(tmp_path / "google.xml").getroot().findall("./channel/item")
    assert len(items) == 2
    assert items[0].find("{http://base.google.com/ns/1.0}link").text.startswith(BASE)


def test_required_field_report_says_what_is_missing_and_how_to_fix_it(catalogue):
    _, problems = check_products("google", [catalogue["incomplete"]], base_url="")
    fields = {p.field for p in problems}
    assert fields == {"description", "image_link", "link", "gtin"}
    assert all(p.product == "tapetes-ruiz/X-1" and p.fix for p in problems)
    _, problems = check_products("mercadolibre", [catalogue["incomplete"]])
    assert {p.field for p in problems} >= {"category_id", "available_quantity", "image_link"}
    _, problems = check_products("meta", [catalogue["incomplete"]], base_url=BASE)
    assert "brand" in {p.field for p in problems}


def test_meta_catalog_csv_uses_the_workshop_as_brand_of_handmade_goods(tmp_path, catalogue):
    write_feed("meta", tmp_path / "meta.csv", base_url=BASE)
    with open(tmp_path / "meta.csv", encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert rows["tapetes-ruiz-TAP-001"]["brand"] == "Tapetes Ruiz"
    assert rows["tapetes-ruiz-TAP-001"]["availability"] == "in stock" and rows["tapetes-ruiz-TAP-001"]["condition"] == "new"


def test_mercadolibre_items_and_spreadsheet(tmp_path, catalogue):
    report = write_feed("mercadolibre", tmp_path / "meli.json")
    assert [p.name for p in report.files] == ["meli.json", "meli.xlsx"]
    items = {i["seller_custom_field"]: i for i in json.loads((tmp_path / "meli.json").read_text(encoding="utf-8"))}
    tapete = items["tapetes-ruiz-TAP-001"]
    assert tapete["site_id"] == "MLM" and tapete["currency_id"] == "MXN" and tapete["buying_mode"] == "buy_it_now"
    assert {"id": "EMPTY_GTIN_REASON", "value_name": "El producto no tiene código registrado"} in tapete["attributes"]
    assert {"id": "GTIN", "value_name": "7501234567897"} in items["tapetes-ruiz-COJ-01"]["attributes"]
    assert tapete["pictures"][0] == {"source": "https://img.example.mx/tap1.jpg"}


def test_shopify_csv_has_one_row_per_product_and_extra_image(tmp_path, catalogue):
    write_feed("shopify", tmp_path / "shopify.csv")
    with open(tmp_path / "shopify.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    handles = [r["Handle"] for r in rows]
    assert handles.count("tapetes-ruiz-tap-001") == 2
    first = next(r for r in rows if r["Handle"] == "tapetes-ruiz-tap-001" and r["Title"])
    assert (first["Variant Price"], first["Option1 Name"], first["Variant SKU"]) == ("2450.50", "Title", "TAP-001")


def amazon_feed(tmp_path, **options):
    report = write_feed("amazon", tmp_path / "amazon.json", seller_id=SELLER, **options)
    return report, json.loads((tmp_path / "amazon.json").read_text(encoding="utf-8"))


def test_amazon_feed_is_a_json_listings_feed_with_a_header_and_update_messages(tmp_path, catalogue):
    report, feed = amazon_feed(tmp_path)
    assert feed["header"] == {"sellerId": SELLER, "version": "2.0", "issueLocale": "es_MX"}
    assert [m["messageId"] for m in feed["messages"]] == [1, 2]
    assert {m["sku"] for m in feed["messages"]} == {"tapetes-ruiz-COJ-01", "tapetes-ruiz-TAP-001"}
    assert all(m["operationType"] == "UPDATE" and m["requirements"] == "LISTING" for m in feed["messages"])
    assert set(feed["messages"][0]) == {"messageId", "sku", "operationType", "productType", "requirements", "attributes"}
    assert (report.written, report.left_out) == (2, 1)


def test_amazon_listing_fills_the_product_types_required_attributes(tmp_path, catalogue):
    from aldea.interop.feeds.channels import AMAZON_REQUIRED

    _, feed = amazon_feed(tmp_path)
    listings = {m["sku"]: m for m in feed["messages"]}
    tapete = listings["tapetes-ruiz-TAP-001"]
    attributes = tapete["attributes"]
    assert tapete["productType"] == "HOME"
    assert set(AMAZON_REQUIRED) <= set(attributes)
    market = "A1AM78C64UM0Y8"
    assert attributes["item_name"] == [{"value": "Tapete zapoteco grecas 1.20 x 0.80 m", "language_tag": "es_MX",
                                        "marketplace_id": market}]
    assert attributes["brand"][0]["value"] == "Tapetes Ruiz"  # handmade: the workshop's name
    assert [b["value"] for b in attributes["bullet_point"]] == ["Lana teñida con grana cochinilla.",
                                                                 "Tejido en telar de pedal."]
    assert attributes["list_price"] == [{"currency": "MXN", "value_with_tax": 2450.5, "marketplace_id": market}]
    assert attributes["purchasable_offer"][0]["our_price"] == [{"schedule": [{"value_with_tax": 2450.5}]}]
    assert attributes["condition_type"] == [{"value": "new_new", "marketplace_id": market}]
    assert attributes["fulfillment_availability"] == [{"fulfillment_channel_code": "DEFAULT", "quantity": 3}]
    assert attributes["country_of_origin"] == [{"value": "MX", "marketplace_id": market}]
    assert attributes["main_product_image_locator"][0]["media_location"] == "https://img.example.mx/tap1.jpg"
    assert attributes["other_product_image_locator_1"][0]["media_location"] == "https://img.example.mx/tap1b.jpg"
    # No GTIN: the exemption; a GTIN: the identifier instead.
    assert attributes["supplier_declared_has_product_identifier_exemption"][0]["value"] is True
    cojin = listings["tapetes-ruiz-COJ-01"]["attributes"]
    assert cojin["externally_assigned_product_identifier"][0] == {"type": "ean", "value": "7501234567897",
                                                                   "marketplace_id": market}
    assert "supplier_declared_has_product_identifier_exemption" not in cojin


def test_amazon_names_the_product_and_each_attribute_it_cannot_fill(tmp_path, catalogue):
    _, problems = check_products("amazon", [catalogue["incomplete"]])
    assert {(p.product, p.field) for p in problems} == {
        ("tapetes-ruiz/X-1", "brand"), ("tapetes-ruiz/X-1", "product_description"),
        ("tapetes-ruiz/X-1", "bullet_point"), ("tapetes-ruiz/X-1", "externally_assigned_product_identifier"),
    }
    assert all(p.fix for p in problems)
    report, feed = amazon_feed(tmp_path)
    assert "tapetes-ruiz-X-1" not in {m["sku"] for m in feed["messages"]}
    assert {p.field for p in report.problems if p.product == "tapetes-ruiz/X-1"} >= {"brand", "bullet_point"}


def test_amazon_bullets_come_from_dash_lines_and_a_photo_is_optional_with_a_note(tmp_path, catalogue):
    rebozo = Product.objects.create(
        enterprise=catalogue["handmade"].enterprise, sku="REB-9", title="Rebozo de algodón", price=Decimal(900),
        description="Rebozo tejido en telar de cintura.\n- Algodón teñido con añil\n- 2.20 x 0.70 m\nMaterial: algodón",
        stock=1, is_handmade=True,
    )
    warnings = []
    passing, problems = check_products("amazon", [rebozo], warnings=warnings)
    assert passing == [rebozo] and problems == []
    [note] = warnings
    assert (note.product, note.field, note.is_blocking) == ("tapetes-ruiz/REB-9", "main_product_image_locator", False)
    _, feed = amazon_feed(tmp_path)
    attributes = next(m for m in feed["messages"] if m["sku"] == "tapetes-ruiz-REB-9")["attributes"]
    assert [b["value"] for b in attributes["bullet_point"]] == ["Algodón teñido con añil", "2.20 x 0.70 m"]
    assert "main_product_image_locator" not in attributes


def test_amazon_feed_needs_the_seller_id(tmp_path, catalogue):
    with pytest.raises(ValueError, match="--seller-id"):
        write_feed("amazon", tmp_path / "amazon.json")
    with pytest.raises(CommandError, match="--seller-id"):
        call_command("feed", "--channel", "amazon", "--out", str(tmp_path / "amazon.json"))
    assert not (tmp_path / "amazon.json").exists()


def test_feed_command_lists_problems_and_exits_non_zero(tmp_path, catalogue, capsys):
    with pytest.raises(CommandError, match="1 product"):
        call_command("feed", "--channel", "google", "--village", "teotitlan", "--out", str(tmp_path / "g.tsv"), "--base-url", BASE)
    assert "tapetes-ruiz/X-1: description" in capsys.readouterr().out
    catalogue["incomplete"].delete()
    call_command("feed", "--channel", "google", "--village", "arrazola", "--out", str(tmp_path / "empty.tsv"))
    assert "written 0" in capsys.readouterr().out


# --- Mercado Libre category attributes ---------------------------------------------------------

def meli_product(catalogue, sku, category, description, **fields):
    return Product.objects.create(
        enterprise=catalogue["handmade"].enterprise, sku=sku, title=f"Pieza {sku}", category=category,
        description=description, price=Decimal(500), stock=2, is_handmade=True,
        image_urls=["https://img.example.mx/p.jpg"], **fields,
    )


def meli_items(path):
    return {i["seller_custom_field"]: i for i in json.loads(path.read_text(encoding="utf-8"))}


def test_description_lines_give_attribute_values():
    assert description_attributes("Barro negro de San Bartolo.\nMaterial:  barro negro \nGÉNERO: Mujer\nMaterial: otro") == {
        "material": "barro negro", "genero": "Mujer"}
    assert description_attributes("") == {}


def test_mercadolibre_missing_required_attribute_is_reported_with_its_fix_and_left_out(tmp_path, catalogue):
    jarra = meli_product(catalogue, "JAR-1", "MLM99001", "Jarra de barro negro bruñido.")
    _, problems = check_products("mercadolibre", [jarra])
    [problem] = problems
    assert problem.field == "attribute MATERIAL" and problem.product == "tapetes-ruiz/JAR-1"
    # The leaf is not in the attribute table: its branch's required attributes are checked.
    assert "MATERIAL (Material)" in problem.fix and "`Material: …`" in problem.fix and "MLM1574" in problem.fix
    report = write_feed("mercadolibre", tmp_path / "meli.json")
    assert "tapetes-ruiz-JAR-1" not in meli_items(tmp_path / "meli.json")
    assert "tapetes-ruiz/JAR-1" in {p.product for p in report.problems}


def test_mercadolibre_attribute_given_in_the_description_is_sent(tmp_path, catalogue):
    meli_product(catalogue, "JAR-2", "MLM99001", "Jarra bruñida a mano.\nMaterial: barro negro\nPeso neto: 1.2 kg")
    report = write_feed("mercadolibre", tmp_path / "meli.json")
    jarra = meli_items(tmp_path / "meli.json")["tapetes-ruiz-JAR-2"]
    assert {"id": "MATERIAL", "value_name": "barro negro"} in jarra["attributes"]
    assert {"id": "NET_WEIGHT", "value_name": "1.2 kg"} in jarra["attributes"]
    # Handmade without brand or MPN: the workshop's name and the SKU.
    assert {"id": "BRAND", "value_name": "Tapetes Ruiz"} in jarra["attributes"]
    assert {"id": "MODEL", "value_name": "JAR-2"} in jarra["attributes"]
    assert jarra["category_id"] == "MLM99001"
    # Checked against the branch's attributes: a note, not a reason to leave the product out.
    assert any(w.product == "tapetes-ruiz/JAR-2" and w.field == "attributes" and "MLM1574" in w.fix
               and "leaf may require more" in w.fix for w in report.warnings)


def test_mercadolibre_closed_list_value_must_be_one_of_the_categorys_values(catalogue):
    rebozo = meli_product(catalogue, "REB-1", "Ropa > Rebozos", "Rebozo de seda.\nGénero: Unisex\nColor: Azul añil")
    _, problems = check_products("mercadolibre", [rebozo])
    [problem] = problems
    assert problem.field == "attribute GENDER" and "`Unisex`" in problem.fix and "Sin género" in problem.fix
    rebozo.description = "Rebozo de seda.\ngenero: sin genero\nColor: Azul añil"
    passing, problems = check_products("mercadolibre", [rebozo])
    assert passing == [rebozo] and problems == []


def test_mercadolibre_brazil_reads_and_writes_portuguese_names(tmp_path, catalogue):
    meli_product(catalogue, "RED-1", "MLB99003", "Bolsa de couro.\nGênero: feminino\nCor: Marrom", currency="BRL")
    missing = meli_product(catalogue, "RED-2", "MLB99004", "Rede de descanso.", currency="BRL")
    write_feed("mercadolibre", tmp_path / "meli.json")
    bolsa = meli_items(tmp_path / "meli.json")["tapetes-ruiz-RED-1"]
    assert bolsa["site_id"] == "MLB"
    assert {"id": "GENDER", "value_name": "Feminino"} in bolsa["attributes"]
    assert {"id": "COLOR", "value_name": "Marrom"} in bolsa["attributes"]
    [problem] = check_products("mercadolibre", [missing])[1]
    assert "`Material: …`" in problem.fix and "Casa, Móveis e Decoração" in problem.fix


def test_mercadolibre_category_without_attribute_rows_is_a_note_and_the_product_is_written(tmp_path, catalogue, capsys):
    alebrije = meli_product(catalogue, "ALE-1", "MLM99005", "Alebrije de copal pintado.")
    warnings = []
    passing, problems = check_products("mercadolibre", [alebrije], warnings=warnings)
    assert passing == [alebrije] and problems == []
    [note] = warnings
    assert note.field == "attributes" and not note.is_blocking
    assert note.fix.startswith("attributes not checked for category MLM99005: not in the shipped table")
    catalogue["incomplete"].delete()
    call_command("feed", "--channel", "mercadolibre", "--out", str(tmp_path / "meli.json"))
    out = capsys.readouterr().out
    assert "note: tapetes-ruiz/ALE-1: attributes — attributes not checked for category MLM99005" in out
    assert "written 3" in out


# --- Mercado Libre leaf categories -------------------------------------------------------------

def test_a_product_category_maps_to_its_leaf_by_the_longest_branch(tmp_path, catalogue):
    tapete = meli_product(catalogue, "TAP-9", "Hogar > Tapetes > Grandes", "Tapete.\nMaterial: lana")
    assert leaf_category(tapete, "MLM")[0].id == "MLM1631"
    meli_product(catalogue, "TAP-8", "hogar >  TAPETES", "Tapete.\nMaterial: lana")
    write_feed("mercadolibre", tmp_path / "meli.json")
    items = meli_items(tmp_path / "meli.json")
    assert items["tapetes-ruiz-TAP-9"]["category_id"] == items["tapetes-ruiz-TAP-8"]["category_id"] == "MLM1631"


@pytest.mark.parametrize("category,expected", [
    ("Hogar > Hamacas", "`Hogar > Hamacas` maps only to MLM1574 (Hogar, Muebles y Jardín), a branch, not a leaf"),
    ("Juguetes > Trompos", "no Mercado Libre category is mapped to `Juguetes > Trompos` in mercadolibre_categories_mlm.csv"),
    ("MLM1574", "MLM1574 (Hogar, Muebles y Jardín) is not a leaf category"),
    ("MLM424242", "MLM424242 is not in the shipped category table mercadolibre_categories_mlm.csv"),
    ("", "set the product's category"),
])
def test_a_product_without_a_mapped_leaf_is_refused_with_what_to_add(tmp_path, catalogue, category, expected):
    product = meli_product(catalogue, "HAM-1", category, "Hamaca.\nMaterial: algodón")
    _, problems = check_products("mercadolibre", [product])
    [problem] = [p for p in problems if p.field == "category_id"]
    assert problem.product == "tapetes-ruiz/HAM-1" and problem.is_blocking
    assert problem.fix.startswith(expected), problem.fix
    report = write_feed("mercadolibre", tmp_path / "meli.json")
    assert "tapetes-ruiz-HAM-1" not in meli_items(tmp_path / "meli.json")
    assert "tapetes-ruiz/HAM-1" in {p.product for p in report.problems}


def test_a_currency_without_a_shipped_table_is_refused(catalogue, leaf_table):
    (leaf_table / "mercadolibre_categories_mlb.csv").unlink()
    category_table.cache_clear()
    bolsa = meli_product(catalogue, "RED-3", "MLB99003", "Bolsa.", currency="BRL")
    [problem] = [p for p in check_products("mercadolibre", [bolsa])[1] if p.field == "category_id"]
    assert problem.fix == "Aldea ships no Mercado Libre category table for site MLB (mercadolibre_categories_mlb.csv)"


def test_a_malformed_category_table_names_the_row(leaf_table):
    path = leaf_table / "mercadolibre_categories_mlm.csv"
    path.write_text(path.read_text(encoding="utf-8") + "MLM5,Otra,Otra,yes,\n", encoding="utf-8")
    category_table.cache_clear()
    with pytest.raises(ValueError, match="category MLM5: leaf must be true or false, not 'yes'"):
        category_table("MLM")


def test_shipped_category_tables_say_where_their_ids_come_from_and_cover_the_demos_products(monkeypatch):
    from aldea.demo.catalogue import VILLAGES

    shipped = mercadolibre_categories.Path(mercadolibre_categories.__file__).resolve().parent / "data"
    monkeypatch.setattr(mercadolibre_categories, "TABLE_DIR", shipped)
    category_table.cache_clear()
    for site in ("MLM", "MLB"):
        header = mercadolibre_categories.table_file(site).read_text(encoding="utf-8")
        assert f"https://api.mercadolibre.com/sites/{site}/categories" in header and "compiled: 2026-12-01" in header
        assert "NOT a live snapshot" in header
        table = category_table(site)
        assert table.by_id and all(c.id.startswith(site) and c.name and c.path for c in table.by_id.values())
    # Every product category of the demo reaches a branch of the table (its leaf is still to add).
    demo_categories = {line.category for village in VILLAGES for line in village.products}
    for category in demo_categories:
        key = mercadolibre_categories.branch_key(category)
        assert any(key[:n] in category_table("MLM").by_branch for n in range(len(key), 0, -1)), category
    category_table.cache_clear()


def test_shipped_attribute_table_is_complete_and_says_where_it_comes_from():
    table = attribute_table()
    assert "api.mercadolibre.com/categories/{id}/attributes" in table["source"] and table["compiled"] == "2025"
    assert "live API" in table["verify"]
    for category_id, category in table["categories"].items():
        assert category_id[:3] in {"MLM", "MLB"} and category["name"]
        assert {"BRAND", "MODEL"} <= set(category["required"]) <= set(table["attributes"])
    for spec in table["attributes"].values():
        assert spec["name"]["es"] and spec["name"]["pt"]
        assert spec["value_type"] in {"string", "list", "number_unit"}
        if spec["value_type"] == "list":
            assert all(value["es"] and value["pt"] for value in spec["values"])
