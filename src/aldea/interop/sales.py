"""Marketplace sales reports → order lines, monthly outcome records and listing status.

Reads Mercado Libre's sales report (XLSX or CSV, Spanish or Portuguese; the header row may sit
below a few title rows), Shopify's orders export (CSV, one row per line item; order-level fields
such as the financial status only on an order's first row) and Amazon's "All Orders" report
(tab-separated). Each order line is matched to a product by the listing id (Mercado Libre
publication, Amazon ASIN) or else by SKU.

Reports may cover any range of dates and may overlap. Every line is kept as an
``interop.ChannelOrderLine``, identified by channel, order id and line key: the listing id and
SKU as the report gives them (``MLM111|TAP-001``, ``|COJ-01`` on Shopify), with ``#2``, ``#3``...
when the same product appears again within one order. A line seen again replaces the earlier
copy (a corrected report); a cancelled, refunded or returned order is skipped and counted, and
marks the same line cancelled if an earlier report brought it as sold. Then, for every MSME and
month the report touches, the channel's ``interop.ChannelSales`` is recomputed from the lines
not cancelled, and the month's ``OutcomeRecord.online_sales`` is the sum over channels. Two
half-month reports therefore add up to the month, and re-importing a report changes nothing.

A channel's figure never replaces one that a survey or a person entered (``OutcomeRecord.
SOURCE_RANK``): that figure is kept, the channel's own stays in ChannelSales, and the report
notes both.

A ChannelSales row from before order lines were kept has no lines: it stays as it is until a
report brings lines for that MSME, channel and month; from then on the month is the sum of its
lines (so bring such a month over with a report that covers all of it). The report notes it.
"""

import datetime
import re
import unicodedata
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.enterprises.models import Product
from aldea.interop import readers, trail
from aldea.interop.importers.base import (
    ALL_OR_NOTHING,
    MODES,
    VALID_ROWS,
    ImportReport,
    Reason,
    RowError,
    batched,
    busy_message,
    refused_at_commit_message,
)
from aldea.interop.importers.writing import ImportBusy, take_import_lock
from aldea.interop.models import ChannelOrderLine, ChannelSales
from aldea.interop.readers import FileRefused, clean_text, normalise_header
from aldea.outcomes.models import Listing, OutcomeRecord, SalesChannel
from aldea.outcomes.rollups import refresh_outcome_rollups

CHANNELS = {
    "mercadolibre": ("Mercado Libre", "marketplace", "https://www.mercadolibre.com"),
    "shopify": ("Shopify", "own_store", "https://www.shopify.com"),
    "amazon": ("Amazon", "marketplace", "https://www.amazon.com"),
}

# Normalised header names (see readers.normalise_header) that mean each field, per channel.
COLUMNS = {
    "mercadolibre": {
        "order": ("de_venta", "n_o_de_venda", "de_venda", "order_id", "numero_de_venta"),
        "date": ("fecha_de_venta", "data_da_venda", "fecha", "date"),
        "status": ("estado", "status"),
        "units": ("unidades", "quantity"),
        "amount": ("ingresos_por_productos_mxn", "ingresos_por_productos", "receita_por_produtos_brl", "receita_por_produtos",
                   "ingresos_por_productos_cop", "ingresos_por_productos_ars", "total_mxn", "total_brl", "total"),
        "sku": ("sku",),
        "listing": ("de_publicacion", "de_anuncio", "publicacion", "item_id"),
    },
    "shopify": {
        "order": ("name",), "date": ("created_at",), "status": ("financial_status",), "cancelled": ("cancelled_at",),
        "units": ("lineitem_quantity",), "price": ("lineitem_price",), "sku": ("lineitem_sku",),
    },
    "amazon": {
        "order": ("amazon_order_id",), "date": ("purchase_date",), "status": ("order_status",), "units": ("quantity",),
        "amount": ("item_price",), "sku": ("sku",), "listing": ("asin",),
    },
}
REQUIRED = ("order", "date", "units", "sku")
CANCELLED = ("cancel", "devol", "refund", "reembols", "voided")
# Order-level cells that Shopify fills on an order's first row only; later rows inherit them.
ORDER_FIELDS = ("date", "status", "cancelled")
# Rows per query when looking up order lines already imported (SQLite limits query parameters).
CHUNK = 500

MONTHS = {name: n for n, names in enumerate((
    ("enero", "janeiro", "january", "jan", "ene"), ("febrero", "fevereiro", "february", "feb", "fev"),
    ("marzo", "marco", "march", "mar"), ("abril", "april", "abr", "apr"), ("mayo", "maio", "may", "mai"),
    ("junio", "junho", "june", "jun"), ("julio", "julho", "july", "jul"), ("agosto", "august", "ago", "aug"),
    ("septiembre", "setiembre", "setembro", "september", "sep", "set"), ("octubre", "outubro", "october", "oct", "out"),
    ("noviembre", "novembro", "november", "nov"), ("diciembre", "dezembro", "december", "dic", "dez", "dec"),
), start=1) for name in names}


def parse_sale_date(value) -> datetime.date:
    """ISO timestamps, dd/mm/yyyy, and Mercado Libre's '15 de enero de 2025 10:32 hs.'."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return readers.parse_date(value)
    text = clean_text(value)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    match = re.match(r"^(\d{1,2}) de ([a-z]+)\.? de (\d{4})", plain)
    if match:
        month = MONTHS.get(normalise_header(match.group(2)))
        if month:
            return datetime.date(int(match.group(3)), month, int(match.group(1)))
    return readers.parse_date(text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} ", text) else text)


def _channel(code):
    name, kind, website = CHANNELS[code]
    channel, _created = SalesChannel.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "website": website})
    return channel


def _find_header(table, columns):
    """The header row and the rows after it: Mercado Libre puts title rows above the header."""
    wanted = {name for names in columns.values() for name in names}

    def score(cells):
        return sum(normalise_header(clean_text(c)) in wanted for c in cells)

    if score(table.headers) >= 3:
        return table.headers, table.rows
    for _attempt in range(15):
        try:
            _line, values = next(table.rows)
        except StopIteration:
            break
        if score(values) >= 3:
            return [clean_text(v) for v in values], table.rows
    raise FileRefused(_("no header row with the channel's columns found in the first 15 rows"))


def import_sales(channel: str, path, *, mode: str = VALID_ROWS, dry_run: bool = False, rejects_path=None,
                 name: str | None = None) -> ImportReport:
    """Turn a channel's sales report into order lines, monthly ChannelSales, OutcomeRecords and live listings.

    Never raises for bad content: unknown SKUs, bad dates and numbers are reported by line, and
    a report the database refuses (another import wrote the same lines meanwhile) is refused whole.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; choose one of {', '.join(CHANNELS)}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    report = ImportReport(kind=f"sales {channel}", path=str(name or path), mode=mode, dry_run=dry_run)
    spec = COLUMNS[channel]
    fmt = None
    try:
        with readers.open_table(path, name=name) as table:
            fmt = table.format
            report.format = table.format.kind
            headers, rows = _find_header(table, spec)
            index = {}
            for position, header in enumerate(headers):
                name = normalise_header(header)
                for field, names in spec.items():
                    if name in names and field not in index:
                        index[field] = position
            missing = [f for f in REQUIRED if f not in index]
            if "amount" not in index and "price" not in index:
                missing.append("amount")
            if missing:
                raise FileRefused(_("the %(channel)s report lacks column(s) for %(columns)s")
                                  % {"channel": channel, "columns": ", ".join(missing)})
            marks = {field: table.decimal_mark_of(position) for field, position in index.items()}
            lines, cancelled = _read_lines(rows, index, marks, report)
            header_of = {field: headers[position] for field, position in index.items()}
            for error in report.errors:
                error.header = header_of.get(error.column, "")
    except FileRefused as exc:
        report.file_error = str(exc)
        return report

    try:
        with transaction.atomic():
            # A dry run writes and rolls back (later lines see earlier ones), so it waits too.
            take_import_lock()
            sales_channel = _channel(channel)
            matched, first_sale = _match(lines, sales_channel, report)
            for error in report.errors:
                error.header = error.header or header_of.get(error.column, "")
            touched = _store_lines(matched, cancelled, sales_channel, report)
            _write(touched, first_sale, sales_channel, report)
            refresh_outcome_rollups(enterprise_months=touched)
            if dry_run or (mode == ALL_OR_NOTHING and report.rejected):
                transaction.set_rollback(True)
            else:
                report.committed = True
    except ImportBusy:
        report.file_error, report.committed = busy_message(), False
    except (IntegrityError, OperationalError) as exc:
        report.file_error, report.committed = refused_at_commit_message(exc), False
    if report.file_error:
        report.created = report.updated = report.unchanged = 0
    trail.record_import(report, model=ChannelOrderLine)  # a command's: the system's
    if rejects_path:
        from aldea.interop.kobo import _write_rejects

        _write_rejects(rejects_path, report, fmt)
    return report


def _cell(values, index, field):
    position = index.get(field)
    return values[position] if position is not None and position < len(values) else ""


def _read_lines(rows, index, marks, report):
    """The sold lines, parsed (each number with its column's decimal mark: ``marks``), and the
    cancelled ones as (line, order, key) to look up."""
    lines, cancelled = [], []
    first_row = {}  # order id → its first row's order-level cells
    seen = defaultdict(int)  # (order id, listing|sku) → lines so far
    max_order = ChannelOrderLine._meta.get_field("order_id").max_length
    max_key = ChannelOrderLine._meta.get_field("line_key").max_length
    for line, values in rows:
        report.read += 1
        order = clean_text(_cell(values, index, "order"))
        cells = {field: _cell(values, index, field) for field in ORDER_FIELDS}
        if order in first_row:
            cells = {field: cells[field] if clean_text(cells[field]) else first_row[order][field] for field in ORDER_FIELDS}
        else:
            first_row[order] = cells
        sku = clean_text(_cell(values, index, "sku"))
        listing = clean_text(_cell(values, index, "listing"))
        product_key = f"{listing}|{sku}"
        seen[(order, product_key)] += 1
        count = seen[(order, product_key)]
        key = product_key if count == 1 else f"{product_key}#{count}"
        status = clean_text(cells["status"]).lower()
        if clean_text(cells["cancelled"]) or any(word in status for word in CANCELLED):
            report.skipped += 1
            if order:
                cancelled.append((line, order, key))
            continue
        errors = []
        if not order:
            errors.append(RowError(line, "order", "", Reason.MISSING, _("no order number")))
        elif len(order) > max_order:
            errors.append(RowError(line, "order", order, Reason.OUT_OF_RANGE, _("longer than %(count)s characters") % {"count": max_order}))
        if len(key) > max_key:
            errors.append(RowError(line, "sku", sku, Reason.OUT_OF_RANGE,
                                   _("listing id and SKU longer than %(count)s characters") % {"count": max_key}))
        try:
            sold_on = parse_sale_date(cells["date"])
        except ValueError as exc:
            errors.append(RowError(line, "date", clean_text(cells["date"]), Reason.BAD_DATE, str(exc)))
        try:
            units = readers.parse_int(_cell(values, index, "units"), marks.get("units", "."))
            if units < 0:
                raise ValueError(_("negative"))
        except ValueError as exc:
            errors.append(RowError(line, "units", clean_text(_cell(values, index, "units")), Reason.BAD_VALUE, str(exc)))
            units = 0
        try:
            if "amount" in index:
                amount = readers.parse_decimal(_cell(values, index, "amount"), marks["amount"])
            else:
                amount = readers.parse_decimal(_cell(values, index, "price"), marks["price"]) * units
            if amount < 0:
                errors.append(RowError(line, "amount", str(amount), Reason.OUT_OF_RANGE, _("negative sale")))
        except ValueError as exc:
            errors.append(RowError(line, "amount" if "amount" in index else "price", "", Reason.BAD_VALUE, str(exc)))
        if errors:
            report.errors.extend(errors)
            report.rejected += 1
            continue
        lines.append({"line": line, "order": order, "key": key, "sold_on": sold_on, "units": units,
                      "amount": amount.quantize(Decimal("0.01")), "sku": sku, "listing": listing})
    return lines, cancelled


def _match(lines, channel, report):
    """The lines with their product and MSME (the others are rejected), and each product's first sale."""
    listings = dict(Listing.objects.filter(channel=channel).exclude(external_id="").values_list("external_id", "product_id"))
    by_sku = defaultdict(list)
    for product_id, sku, enterprise_id in Product.objects.filter(sku__in={l["sku"] for l in lines if l["sku"]}).values_list("id", "sku", "enterprise_id"):
        by_sku[sku].append((product_id, enterprise_id))
    enterprise_of = dict(Product.objects.filter(id__in=set(listings.values())).values_list("id", "enterprise_id"))
    matched = []
    first_sale = {}
    for line in lines:
        product_id = listings.get(line["listing"]) if line["listing"] else None
        enterprise_id = enterprise_of.get(product_id)
        if product_id is None:
            matches = by_sku.get(line["sku"], [])
            if len(matches) != 1:
                reason = _("no product with this SKU") if not matches else _("several MSMEs use this SKU; record the listing id on the listing")
                report.errors.append(RowError(line["line"], "sku", line["sku"], Reason.UNKNOWN if not matches else Reason.DUPLICATE, reason))
                report.rejected += 1
                continue
            product_id, enterprise_id = matches[0]
        matched.append({**line, "product_id": product_id, "enterprise_id": enterprise_id, "month": line["sold_on"].replace(day=1)})
        known = first_sale.get(product_id)
        if known is None or line["sold_on"] < known[0]:
            first_sale[product_id] = (line["sold_on"], line["listing"])
    return matched, first_sale


def _existing_lines(channel, orders):
    existing = {}
    for chunk in batched(sorted(orders), CHUNK):
        for line in ChannelOrderLine.objects.filter(channel=channel, order_id__in=chunk):
            existing[(line.order_id, line.line_key)] = line
    return existing


def _store_lines(matched, cancelled, channel, report):
    """Upsert the report's lines; return the (MSME, month) pairs whose channel figures to recompute.

    Every month the report has lines for is recomputed (an unchanged one comes out unchanged), and
    so is the month a corrected line moved out of.
    """
    now = timezone.now()
    existing = _existing_lines(channel, {l["order"] for l in matched} | {order for _, order, _ in cancelled})
    touched = set()
    new, corrected = [], []
    fields = ("enterprise_id", "product_id", "sold_on", "month", "units", "amount")
    for line in matched:
        touched.add((line["enterprise_id"], line["month"]))
        stored = existing.get((line["order"], line["key"]))
        if stored is None:
            new.append(ChannelOrderLine(channel=channel, order_id=line["order"], line_key=line["key"], imported_at=now,
                                        **{f: line[f] for f in fields}))
        elif stored.status != ChannelOrderLine.Status.SOLD or any(getattr(stored, f) != line[f] for f in fields):
            touched.add((stored.enterprise_id, stored.month))
            for f in fields:
                setattr(stored, f, line[f])
            stored.status, stored.imported_at = ChannelOrderLine.Status.SOLD, now
            corrected.append(stored)
    cancelled_now = []
    for _line, order, key in cancelled:
        stored = existing.get((order, key))
        if stored is not None and stored.status == ChannelOrderLine.Status.SOLD:
            stored.status, stored.imported_at = ChannelOrderLine.Status.CANCELLED, now
            cancelled_now.append(stored)
            touched.add((stored.enterprise_id, stored.month))

    _note_months_without_lines(touched, channel, report)
    trail.count_enterprise_rows([line.enterprise_id for line in (*new, *corrected, *cancelled_now)], report)
    ChannelOrderLine.objects.bulk_create(new, batch_size=CHUNK)
    ChannelOrderLine.objects.bulk_update(corrected + cancelled_now, [*fields, "status", "imported_at"], batch_size=CHUNK)
    if new or corrected or cancelled_now:
        report.notes.append(_("order lines: %(new)s new, %(corrected)s corrected, %(cancelled)s cancelled since an earlier report")
                            % {"new": len(new), "corrected": len(corrected), "cancelled": len(cancelled_now)})
    return touched


def _note_months_without_lines(touched, channel, report):
    """Say which months imported before order lines were kept now become the sum of this report's lines."""
    if not touched:
        return
    enterprises, months = {e for e, _ in touched}, {m for _, m in touched}
    with_lines = set(ChannelOrderLine.objects.filter(channel=channel, enterprise_id__in=enterprises, month__in=months)
                     .values_list("enterprise_id", "month").order_by().distinct())
    legacy = sorted(
        (code, m) for e, m, code in ChannelSales.objects.filter(channel=channel, enterprise_id__in=enterprises, month__in=months)
        .values_list("enterprise_id", "month", "enterprise__code") if (e, m) in touched and (e, m) not in with_lines
    )
    if legacy:
        report.notes.append(
            _("%(count)s month(s) imported before order lines were kept are now the sum of this report's lines: %(months)s")
            % {"count": len(legacy), "months": ", ".join(f"{code} {m:%Y-%m}" for code, m in legacy)}
        )


def _channel_totals(touched, channel):
    """(MSME, month) → (sales, orders, units) on the channel, from the lines not cancelled."""
    totals = {pair: (Decimal(0), 0, 0) for pair in touched}
    if not touched:
        return totals
    rows = (ChannelOrderLine.objects
            .filter(channel=channel, enterprise_id__in={e for e, _ in touched}, month__in={m for _, m in touched},
                    status=ChannelOrderLine.Status.SOLD)
            .values("enterprise_id", "month")
            .annotate(sales=Sum("amount"), orders=Count("order_id", distinct=True), units=Sum("units"))
            .order_by())
    for row in rows:
        pair = (row["enterprise_id"], row["month"])
        if pair in totals:
            totals[pair] = (row["sales"], row["orders"], row["units"])
    return totals


def _write(touched, first_sale, channel, report):
    for (enterprise_id, month), (amount, orders, units) in sorted(_channel_totals(touched, channel).items()):
        ChannelSales.objects.update_or_create(
            enterprise_id=enterprise_id, channel=channel, month=month,
            defaults={"sales": amount, "orders": orders, "units": units},
        )
        sums = ChannelSales.objects.filter(enterprise_id=enterprise_id, month=month).aggregate(
            sales=Sum("sales"), orders=Sum("orders"), units=Sum("units"))
        record = OutcomeRecord.objects.filter(enterprise_id=enterprise_id, month=month).first()
        channel_source = OutcomeRecord.Source.CHANNEL
        if record is None:
            if not sums["orders"] and not sums["sales"]:
                continue  # every line of the month was cancelled: nothing was sold online
            figures = {"total_sales": sums["sales"], "online_sales": sums["sales"], "orders": sums["orders"], "units": sums["units"]}
            OutcomeRecord.objects.create(enterprise_id=enterprise_id, month=month, source=channel_source,
                                         figure_sources=dict.fromkeys(figures, channel_source), **figures)
            report.created += 1
            continue
        # Totals are at least what the channels sold: they only ever rise.
        wanted = {"online_sales": sums["sales"], "orders": sums["orders"],
                  "total_sales": max(record.total_sales, sums["sales"]), "units": max(record.units, sums["units"])}
        changed = [k for k, v in wanted.items() if getattr(record, k) != v]
        kept = [k for k in changed if not record.may_replace(k, channel_source)]
        applied = [k for k in changed if k not in kept]
        if "online_sales" in applied and wanted["online_sales"] > (wanted["total_sales"] if "total_sales" in applied else record.total_sales):
            # More online sales than a surveyed total: the survey stands, and so does the month.
            applied = [k for k in applied if k not in ("online_sales", "total_sales")]
            kept += ["online_sales"]
        for figure in kept:
            report.notes.append(_kept_note(record, figure, wanted[figure], channel))
        if applied:
            record.figure_sources = record.figure_sources_after(applied, channel_source)
            for k in applied:
                setattr(record, k, wanted[k])
            record.save(update_fields=[*applied, "figure_sources", "updated_at"])
            report.updated += 1
        else:
            report.unchanged += 1
    live = 0
    for product_id, (sold_on, external_id) in first_sale.items():
        listing = Listing.objects.filter(product_id=product_id, channel=channel).first()
        if listing is None:
            clash = external_id and Listing.objects.filter(channel=channel, external_id=external_id).exists()
            Listing.objects.create(product_id=product_id, channel=channel, status=Listing.Status.LIVE, live_on=sold_on,
                                   external_id="" if clash else external_id)
            live += 1
        elif listing.status != Listing.Status.LIVE or listing.live_on is None:
            listing.status = Listing.Status.LIVE
            listing.live_on = listing.live_on or sold_on
            listing.save(update_fields=["status", "live_on", "updated_at"])
            live += 1
    if live:
        report.notes.append(_("%(count)s listing(s) marked live on %(channel)s") % {"count": live, "channel": channel.name})


def _kept_note(record, figure, reported, channel):
    held = record.source_of(figure)
    return _("kept %(code)s %(month)s %(figure)s %(value)s from %(source)s: %(channel)s reports %(reported)s") % {
        "code": record.enterprise.code, "month": f"{record.month:%Y-%m}",
        "figure": OutcomeRecord._meta.get_field(figure).verbose_name, "value": _amount(getattr(record, figure)),
        "source": OutcomeRecord.Source(held).label if held else "-", "channel": channel.name, "reported": _amount(reported)}


def _amount(value):
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)
