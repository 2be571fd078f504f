"""The five channels' formats.

- google: Merchant Center TSV (or RSS 2.0 XML when the file ends in .xml).
- meta: Meta (Facebook/Instagram) catalog CSV.
- mercadolibre: JSON item payloads for POST /items, plus the same items as a spreadsheet; the leaf
  category comes from the shipped table (``mercadolibre_categories``).
- shopify: product CSV (one row per product, one more per extra image).
- amazon: a JSON_LISTINGS_FEED (Selling Partner Feeds API): a header and one UPDATE message per SKU.
"""

import csv
import json
import re
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

from aldea.interop.feeds.base import (
    AMAZON_MARKETPLACES,
    LANGUAGE_TAGS,
    MERCADOLIBRE_SITES,
    FeedReport,
    Problem,
    common_checks,
    offer_id,
    price_text,
    product_key,
    product_link,
    products_for,
)
from aldea.interop.feeds.category_attributes import ATTRIBUTE_LINE, resolve_attributes
from aldea.interop.feeds.mercadolibre_categories import branch_of, leaf_category
from aldea.interop.readers import neutralise

CHANNELS = ("google", "meta", "mercadolibre", "shopify", "amazon")
# Amazon product types by the MSME's sector; the category's own type is better when known.
AMAZON_PRODUCT_TYPES = {"crafts": "HOME", "textiles": "HOME", "food": "GROCERY", "agriculture": "GROCERY"}


def availability(product, style):
    in_stock = product.stock > 0
    return {"google": "in_stock" if in_stock else "out_of_stock", "meta": "in stock" if in_stock else "out of stock"}[style]


def brand_of(product):
    """The brand, or for handmade goods the workshop's own name (what Meta and Amazon expect)."""
    return product.brand or (product.enterprise.name if product.is_handmade else "")


# --- google ----------------------------------------------------------------------------------

GOOGLE_COLUMNS = ["id", "title", "description", "link", "image_link", "additional_image_link", "availability",
                  "price", "brand", "gtin", "mpn", "identifier_exists", "condition", "product_type"]


def google_check(product, problems, base_url):
    common_checks(product, problems, base_url=base_url)
    if len(product.title) > 150:
        problems.append(Problem(product_key(product), "title", "shorten the title to 150 characters"))


def google_item(product, base_url):
    identifier = bool(product.gtin or (product.brand and product.mpn))
    return {
        "id": offer_id(product), "title": product.title, "description": product.description[:5000],
        "link": product_link(product, base_url), "image_link": product.image_urls[0],
        "additional_image_link": ",".join(product.image_urls[1:11]), "availability": availability(product, "google"),
        "price": price_text(product), "brand": product.brand, "gtin": product.gtin, "mpn": product.mpn,
        # Handmade goods without GTIN or brand+MPN: Google's "no identifier" convention.
        "identifier_exists": "yes" if identifier else "no", "condition": "new", "product_type": product.category,
    }


def write_google(items, out):
    out = Path(out)
    if out.suffix.lower() == ".xml":
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>',
                 "<title>Aldea</title><link>https://aldea.example/</link><description>Aldea products</description>"]
        for item in items:
            lines.append("<item>" + "".join(
                f"<g:{k}>{escape(str(v))}</g:{k}>" for k, v in item.items() if v != ""
            ) + "</item>")
        lines.append("</channel></rss>")
        out.write_text("\n".join(lines), encoding="utf-8")
    else:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
            writer.writerow(GOOGLE_COLUMNS)
            for item in items:
                writer.writerow([_tsv(item[c]) for c in GOOGLE_COLUMNS])
    return [out]


def _tsv(value):
    """A cell of the TSV feed: on one line, and guarded like every spreadsheet-bound export (a
    Merchant Center feed is often opened in Sheets or Excel, where '=...' would run)."""
    return neutralise(str(value).replace("\t", " ").replace("\r", " ").replace("\n", " "))


# --- meta ------------------------------------------------------------------------------------

META_COLUMNS = ["id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand",
                "additional_image_link", "gtin", "inventory"]


def meta_check(product, problems, base_url):
    common_checks(product, problems, base_url=base_url)
    if not brand_of(product):
        problems.append(Problem(product_key(product), "brand", "add a brand (or mark the product handmade to use the workshop's name)"))
    if len(product.title) > 200:
        problems.append(Problem(product_key(product), "title", "shorten the title to 200 characters"))


def meta_item(product, base_url):
    return {
        "id": offer_id(product), "title": product.title, "description": product.description[:9999],
        "availability": availability(product, "meta"), "condition": "new", "price": price_text(product),
        "link": product_link(product, base_url), "image_link": product.image_urls[0], "brand": brand_of(product),
        "additional_image_link": ",".join(product.image_urls[1:21]), "gtin": product.gtin, "inventory": product.stock,
    }


def write_meta(items, out):
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(META_COLUMNS)
        for item in items:
            writer.writerow([neutralise(str(item[c])) for c in META_COLUMNS])
    return [Path(out)]


# --- mercado libre ---------------------------------------------------------------------------

def mercadolibre_category(product) -> tuple[list, str]:
    """([leaf id, its branch's id], "") from the shipped category table, or ([], why not)."""
    site = MERCADOLIBRE_SITES.get(product.currency)
    if site is None:
        return [], ""  # reported as currency_id
    leaf, refusal = leaf_category(product, site)
    if leaf is None:
        return [], refusal
    branch = branch_of(leaf, site)
    return [leaf.id] + ([branch.id] if branch else []), ""


def mercadolibre_check(product, problems, base_url):
    key = product_key(product)
    common_checks(product, problems, base_url=base_url, need_link=False)
    category_ids, refusal = mercadolibre_category(product)
    if refusal:
        problems.append(Problem(key, "category_id", refusal))
    elif category_ids:
        problems.extend(resolve_attributes(product, category_ids)[1])
    if product.currency not in MERCADOLIBRE_SITES:
        problems.append(Problem(key, "currency_id", f"Mercado Libre has no site for {product.currency}"))
    if product.stock < 1:
        problems.append(Problem(key, "available_quantity", "Mercado Libre needs at least 1 unit in stock"))
    if len(product.title) > 60:
        problems.append(Problem(key, "title", "shorten the title to 60 characters (Mercado Libre's limit)"))


def mercadolibre_item(product, base_url):
    category_ids, _ = mercadolibre_category(product)
    attributes = resolve_attributes(product, category_ids)[0]  # BRAND, MODEL and the category's attributes
    if product.gtin:
        attributes.append({"id": "GTIN", "value_name": product.gtin})
    else:
        # Mercado Libre's "no identifier" convention: say why the GTIN is empty.
        attributes.append({"id": "EMPTY_GTIN_REASON", "value_name": "El producto no tiene código registrado"})
    return {
        "site_id": MERCADOLIBRE_SITES[product.currency], "title": product.title, "category_id": category_ids[0],
        "price": float(product.price), "currency_id": product.currency, "available_quantity": product.stock,
        "buying_mode": "buy_it_now", "listing_type_id": "gold_special", "condition": "new",
        "pictures": [{"source": url} for url in product.image_urls[:10]],
        "attributes": attributes, "seller_custom_field": offer_id(product),
        "description": {"plain_text": product.description},
    }


def write_mercadolibre(items, out):
    import openpyxl

    out = Path(out)
    json_path = out if out.suffix.lower() == ".json" else out.with_suffix(".json")
    json_path.write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
    sheet_path = json_path.with_suffix(".xlsx")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Publicaciones")
    headers = ["seller_custom_field", "site_id", "title", "category_id", "price", "currency_id", "available_quantity",
               "buying_mode", "listing_type_id", "condition", "pictures", "attributes"]
    sheet.append(headers)
    for item in items:
        row = dict(item, pictures=" | ".join(p["source"] for p in item["pictures"]),
                   attributes="; ".join(f"{a['id']}={a['value_name']}" for a in item["attributes"]))
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in (row[h] for h in headers)])
    workbook.save(sheet_path)
    return [json_path, sheet_path]


# --- shopify ---------------------------------------------------------------------------------

SHOPIFY_COLUMNS = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
                   "Option1 Name", "Option1 Value", "Variant SKU", "Variant Inventory Qty", "Variant Price",
                   "Variant Barcode", "Variant Requires Shipping", "Variant Taxable", "Image Src", "Image Position", "Status"]


def shopify_handle(product):
    return re.sub(r"[^a-z0-9]+", "-", f"{product.enterprise.code}-{product.sku}".lower()).strip("-")


def shopify_check(product, problems, base_url):
    key = product_key(product)
    if not product.image_urls:
        problems.append(Problem(key, "Image Src", "add at least one photo URL (https://…) to the product"))
    if len(product.title) > 255:
        problems.append(Problem(key, "Title", "shorten the title to 255 characters"))


def shopify_rows(product, base_url):
    handle = shopify_handle(product)
    body = "".join(f"<p>{escape(p)}</p>" for p in product.description.splitlines() if p.strip())
    first = {
        "Handle": handle, "Title": product.title, "Body (HTML)": body, "Vendor": brand_of(product) or product.enterprise.name,
        "Product Category": "", "Type": product.category, "Tags": ", ".join(t for t in ("hecho a mano" if product.is_handmade else "", product.enterprise.village.slug if product.enterprise.village_id else "") if t),
        "Published": "TRUE", "Option1 Name": "Title", "Option1 Value": "Default Title", "Variant SKU": product.sku,
        "Variant Inventory Qty": product.stock, "Variant Price": f"{product.price:.2f}", "Variant Barcode": product.gtin,
        "Variant Requires Shipping": "TRUE", "Variant Taxable": "TRUE", "Image Src": product.image_urls[0],
        "Image Position": 1, "Status": "active",
    }
    rows = [first]
    for position, url in enumerate(product.image_urls[1:], start=2):
        rows.append({"Handle": handle, "Image Src": url, "Image Position": position})
    return rows


def write_shopify(items, out):
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SHOPIFY_COLUMNS)
        for rows in items:
            for row in rows:
                writer.writerow([neutralise(str(row.get(c, ""))) for c in SHOPIFY_COLUMNS])
    return [Path(out)]


# --- amazon ----------------------------------------------------------------------------------
# A JSON_LISTINGS_FEED for the Selling Partner Feeds API: a header (seller, version 2.0, the locale
# of the issues Amazon reports back) and one UPDATE message per SKU carrying the full listing, in
# the attribute format of the Listings Items API and the Product Type Definitions API (which is
# the authority on what each product type requires; check a product type there before the first
# upload, as Amazon changes requirements by marketplace).

AMAZON_FEED_VERSION = "2.0"
# The attributes the feed fills for every listing (what HOME, GROCERY and PRODUCT require to
# create a listing, as of 2025); the image is sent when the product has a photo.
AMAZON_REQUIRED = ("item_name", "brand", "bullet_point", "product_description", "list_price", "purchasable_offer",
                   "condition_type", "fulfillment_availability", "country_of_origin")
AMAZON_BULLETS = 5
AMAZON_BULLET_LENGTH = 500
BULLET_MARK = re.compile(r"^\s*[-•*]\s+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def amazon_image_urls(product) -> list[str]:
    """The public URLs of the product's photos, main photo first: the one place the Amazon feed
    reads images from (point it at the uploaded photos once they have public URLs)."""
    return [url for url in product.image_urls if url]


def amazon_bullet_points(product) -> list[str]:
    """Up to five bullet points: the description's ``- …`` lines, or else its first sentences
    (``Name: value`` attribute lines are left out)."""
    lines = [line.strip() for line in product.description.splitlines() if line.strip()]
    marked = [BULLET_MARK.sub("", line) for line in lines if BULLET_MARK.match(line)]
    if not marked:
        prose = " ".join(line for line in lines if not ATTRIBUTE_LINE.match(line))
        marked = [sentence for sentence in SENTENCE_END.split(prose) if sentence]
    return [bullet[:AMAZON_BULLET_LENGTH] for bullet in marked[:AMAZON_BULLETS]]


def country_of_origin(product) -> str:
    """ISO 3166 code of where the MSME makes its goods: its municipality's country, else the
    programme's."""
    enterprise = product.enterprise
    if enterprise.municipality_id and enterprise.municipality.country_id:
        return enterprise.municipality.country.code
    return enterprise.programme.country.code if enterprise.programme.country_id else ""


def amazon_check(product, problems, base_url):
    key = product_key(product)
    if product.currency not in AMAZON_MARKETPLACES:
        problems.append(Problem(key, "purchasable_offer", f"no Amazon marketplace sells in {product.currency}: "
                                f"set the price in one of {', '.join(AMAZON_MARKETPLACES)}"))
    if not product.title.strip():
        problems.append(Problem(key, "item_name", "give the product a title"))
    elif len(product.title) > 200:
        problems.append(Problem(key, "item_name", "shorten the title to 200 characters"))
    if not brand_of(product):
        problems.append(Problem(key, "brand", "add a brand (or mark the product handmade to use the workshop's name)"))
    if not product.description.strip():
        problems.append(Problem(key, "product_description", "write a description (materials, size, how it is made)"))
    if not amazon_bullet_points(product):
        problems.append(Problem(key, "bullet_point", "write the description as sentences or `- …` lines: Amazon "
                                "shows up to five as the listing's bullet points"))
    if not country_of_origin(product):
        problems.append(Problem(key, "country_of_origin", "set the MSME's municipality (its country is the origin)"))
    if not product.gtin and not product.is_handmade and not (product.brand and product.mpn):
        problems.append(Problem(key, "externally_assigned_product_identifier",
                                "add the GTIN (barcode) or brand + MPN, or mark the product as handmade"))
    if not amazon_image_urls(product):
        problems.append(Problem(key, "main_product_image_locator", "add a photo: Amazon accepts the listing but "
                                "keeps it out of search until it has a main image", is_blocking=False))


def amazon_item(product, base_url):
    """One listing's attributes (the message around it is added by ``write_amazon``)."""
    marketplace = AMAZON_MARKETPLACES[product.currency]
    language = LANGUAGE_TAGS.get(product.currency, "es_MX")

    def text(value):
        return {"value": value, "language_tag": language, "marketplace_id": marketplace}

    price = float(product.price)
    attributes = {
        "item_name": [text(product.title)],
        "brand": [text(brand_of(product))],
        "bullet_point": [text(bullet) for bullet in amazon_bullet_points(product)],
        "product_description": [text(product.description)],
        "list_price": [{"currency": product.currency, "value_with_tax": price, "marketplace_id": marketplace}],
        "purchasable_offer": [{"currency": product.currency, "marketplace_id": marketplace,
                               "our_price": [{"schedule": [{"value_with_tax": price}]}]}],
        "condition_type": [{"value": "new_new", "marketplace_id": marketplace}],
        "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": product.stock}],
        "country_of_origin": [{"value": country_of_origin(product), "marketplace_id": marketplace}],
    }
    if product.gtin:
        kind = {12: "upc", 13: "ean", 14: "gtin"}.get(len(product.gtin), "ean")
        attributes["externally_assigned_product_identifier"] = [{"type": kind, "value": product.gtin, "marketplace_id": marketplace}]
    else:
        # Amazon's "no identifier" convention for handmade and own-brand goods (the seller applies
        # for the GTIN exemption in Seller Central once per brand and category).
        attributes["supplier_declared_has_product_identifier_exemption"] = [{"value": True, "marketplace_id": marketplace}]
        if product.mpn:
            attributes["part_number"] = [{"value": product.mpn, "marketplace_id": marketplace}]
    images = amazon_image_urls(product)
    if images:
        attributes["main_product_image_locator"] = [{"media_location": images[0], "marketplace_id": marketplace}]
    for n, url in enumerate(images[1:9], start=1):
        attributes[f"other_product_image_locator_{n}"] = [{"media_location": url, "marketplace_id": marketplace}]
    return {
        "sku": offer_id(product),
        "productType": AMAZON_PRODUCT_TYPES.get(product.enterprise.sector, "PRODUCT"),
        "requirements": "LISTING",
        "attributes": attributes,
        "issueLocale": language,
    }


def write_amazon(items, out, *, seller_id: str):
    """The JSON_LISTINGS_FEED document: the header, then one UPDATE message per listing. The
    header's issueLocale is the first listing's (one feed serves one marketplace)."""
    locale = items[0]["issueLocale"] if items else "es_MX"
    messages = [
        {"messageId": number, "sku": item["sku"], "operationType": "UPDATE", "productType": item["productType"],
         "requirements": item["requirements"], "attributes": item["attributes"]}
        for number, item in enumerate(items, start=1)
    ]
    feed = {"header": {"sellerId": seller_id, "version": AMAZON_FEED_VERSION, "issueLocale": locale},
            "messages": messages}
    Path(out).write_text(json.dumps(feed, ensure_ascii=False, indent=2), encoding="utf-8")
    return [Path(out)]


SPEC = {
    "google": (google_check, google_item, write_google),
    "meta": (meta_check, meta_item, write_meta),
    "mercadolibre": (mercadolibre_check, mercadolibre_item, write_mercadolibre),
    "shopify": (shopify_check, shopify_rows, write_shopify),
    "amazon": (amazon_check, amazon_item, write_amazon),
}


def check_products(channel, products, base_url="", warnings=None):
    """(products that pass, problems) for a channel, without writing anything.

    Notes that do not keep a product out (``Problem.is_blocking`` false) go to ``warnings``.
    """
    check = SPEC[channel][0]
    passing, problems = [], []
    for product in products:
        found = []
        check(product, found, base_url)
        blocking = [p for p in found if p.is_blocking]
        if warnings is not None:
            warnings.extend(p for p in found if not p.is_blocking)
        if blocking:
            problems.extend(blocking)
        else:
            passing.append(product)
    return passing, problems


def write_feed(channel: str, out, *, village: str | None = None, base_url: str = "", seller_id: str = "") -> FeedReport:
    """Check every product against ``channel``'s required fields and write those that pass.

    ``seller_id`` is the Amazon merchant token (Seller Central, Settings, Account info) that the
    Amazon feed's header names. Raises ValueError for an unknown channel, or an Amazon feed
    without a seller id. The report lists each left-out product's problems, and in ``warnings``
    what could not be checked or does not keep a product out (e.g. an Amazon listing without a photo).
    """
    if channel not in SPEC:
        raise ValueError(f"unknown channel {channel!r}; choose one of {', '.join(CHANNELS)}")
    _, build, write = SPEC[channel]
    if channel == "amazon":
        if not seller_id.strip():
            raise ValueError("the Amazon feed names the seller: give --seller-id (the merchant token in Seller "
                             "Central, Settings, Account info)")
        write = partial(write_amazon, seller_id=seller_id.strip())
    products = list(products_for(village))
    warnings = []
    passing, problems = check_products(channel, products, base_url, warnings)
    report = FeedReport(channel=channel, checked=len(products), problems=problems, warnings=warnings)
    report.files = write([build(p, base_url) for p in passing], out)
    report.written = len(passing)
    return report
