"""Sales reports from Mercado Libre, Shopify and Amazon become monthly outcomes and live listings."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from interop_files import write_csv, write_xlsx

from aldea.enterprises.models import Enterprise, Product
from aldea.interop.importers.base import Reason
from aldea.interop.models import ChannelOrderLine, ChannelSales
from aldea.interop.sales import import_sales, parse_sale_date
from aldea.outcomes.models import Listing, OutcomeRecord, SalesChannel


@pytest.fixture
def shop(programme):
    village = programme.villages.get(slug="teotitlan")
    ruiz = Enterprise.objects.create(programme=programme, village=village, code="tapetes-ruiz", name="Tapetes Ruiz",
                                     municipality=village.municipality, sector="textiles")
    Product.objects.create(enterprise=ruiz, sku="TAP-001", title="Tapete", price=Decimal("2450.50"))
    Product.objects.create(enterprise=ruiz, sku="COJ-01", title="Cojín", price=Decimal(380))
    return ruiz


MELI_HEADERS = ["# de venta", "Fecha de venta", "Estado", "Unidades", "Ingresos por productos (MXN)", "SKU", "# de publicación", "Título de la publicación"]


def meli_report(tmp_path, rows, name="Ventas_MX_2025.xlsx"):
    return write_xlsx(tmp_path / name, {"Ventas MX": [
        ["Ventas"], ["Periodo: 01/01/2025 - 28/02/2025"], [], MELI_HEADERS, *rows,
    ]})


def test_mercadolibre_report_with_title_rows_becomes_monthly_outcomes(tmp_path, shop):
    path = meli_report(tmp_path, [
        ["2000001", "15 de enero de 2025 10:32 hs.", "Entregado", 1, "2.450,50", "TAP-001", "MLM111", "Tapete"],
        ["2000002", "20 de enero de 2025 18:01 hs.", "Entregado", 2, "760,00", "COJ-01", "MLM222", "Cojín"],
        ["2000003", "02 de febrero de 2025 09:00 hs.", "Cancelada por el comprador", 1, "380,00", "COJ-01", "MLM222", "Cojín"],
        ["2000004", "03 de febrero de 2025 09:00 hs.", "Entregado", 1, "2450.5", "TAP-001", "MLM111", "Tapete"],
        ["2000005", "03 de febrero de 2025 09:00 hs.", "Entregado", 1, "99", "NO-EXISTE", "MLM999", "?"],
    ])
    report = import_sales("mercadolibre", path)
    assert (report.read, report.skipped, report.rejected) == (5, 1, 1)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [(9, "sku", Reason.UNKNOWN)]
    january = OutcomeRecord.objects.get(enterprise=shop, month=datetime.date(2025, 1, 1))
    assert (january.online_sales, january.total_sales, january.orders, january.units, january.source) == (
        Decimal("3210.50"), Decimal("3210.50"), 2, 3, "channel")
    listing = Listing.objects.get(product__sku="TAP-001")
    assert (listing.status, listing.live_on, listing.external_id) == ("live", datetime.date(2025, 1, 15), "MLM111")

    stamps = list(OutcomeRecord.objects.values_list("updated_at", flat=True))
    again = import_sales("mercadolibre", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(OutcomeRecord.objects.values_list("updated_at", flat=True)) == stamps
    assert ChannelSales.objects.count() == 2


def test_online_sales_add_up_across_channels_and_keep_surveyed_totals(tmp_path, shop):
    OutcomeRecord.objects.create(enterprise=shop, month=datetime.date(2025, 1, 1), total_sales=Decimal(10000), units=40)
    write_csv(tmp_path / "orders_export.csv", [
        ["Name", "Email", "Financial Status", "Created at", "Cancelled at", "Currency", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku"],
        ["#1001", "a@example.com", "paid", "2025-01-05 10:00:00 -0600", "", "MXN", "2", "Cojín", "380.00", "COJ-01"],
        ["#1001", "a@example.com", "paid", "2025-01-05 10:00:00 -0600", "", "MXN", "1", "Tapete", "2450.50", "TAP-001"],
        ["#1002", "b@example.com", "refunded", "2025-01-06 10:00:00 -0600", "", "MXN", "1", "Cojín", "380.00", "COJ-01"],
    ])
    import_sales("shopify", tmp_path / "orders_export.csv")
    amazon = tmp_path / "all-orders.txt"
    amazon.write_text(
        "amazon-order-id\tpurchase-date\torder-status\tsku\tasin\tquantity\tcurrency\titem-price\n"
        "701-1234567-1234567\t2025-01-20T15:00:00+00:00\tShipped\tTAP-001\tB0TAPETE01\t1\tMXN\t2600.00\n"
        "701-1234567-7654321\t2025-01-21T15:00:00+00:00\tCancelled\tTAP-001\tB0TAPETE01\t1\tMXN\t2600.00\n",
        encoding="utf-8",
    )
    report = import_sales("amazon", amazon)
    assert report.skipped == 1
    record = OutcomeRecord.objects.get(enterprise=shop, month=datetime.date(2025, 1, 1))
    assert record.online_sales == Decimal("3210.50") + Decimal("2600.00")
    assert record.total_sales == Decimal(10000) and record.orders == 2 and record.units == 40
    assert Listing.objects.get(channel__code="amazon").external_id == "B0TAPETE01"


def test_sales_report_without_the_channels_columns_is_refused(tmp_path, shop):
    path = write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]])
    assert "header" in import_sales("amazon", path).file_error
    with pytest.raises(CommandError):
        call_command("import", "sales", str(path), "--channel", "amazon")


@pytest.mark.parametrize(("text", "expected"), [
    ("15 de enero de 2025 10:32 hs.", datetime.date(2025, 1, 15)),
    ("3 de março de 2025 08:00", datetime.date(2025, 3, 3)),
    ("2025-01-05 10:00:00 -0600", datetime.date(2025, 1, 5)),
    ("2025-01-20T15:00:00+00:00", datetime.date(2025, 1, 20)),
])
def test_sale_dates_in_each_channels_spelling(text, expected):
    assert parse_sale_date(text) == expected


JANUARY, FEBRUARY = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)


def channel_sales(shop, month, channel="mercadolibre"):
    row = ChannelSales.objects.get(enterprise=shop, channel__code=channel, month=month)
    return row.sales, row.orders, row.units


def outcome(shop, month):
    record = OutcomeRecord.objects.get(enterprise=shop, month=month)
    return record.online_sales, record.total_sales, record.orders, record.units


def snapshot():
    return (
        list(ChannelOrderLine.objects.order_by("id").values()),
        list(ChannelSales.objects.order_by("id").values()),
        list(OutcomeRecord.objects.order_by("id").values()),
    )


def first_half(tmp_path):
    return meli_report(tmp_path, [
        ["2000001", "05 de enero de 2025 10:32 hs.", "Entregado", 1, "2.450,50", "TAP-001", "MLM111", "Tapete"],
        ["2000002", "10 de enero de 2025 18:01 hs.", "Entregado", 2, "760,00", "COJ-01", "MLM222", "Cojín"],
    ], name="Ventas_MX_2025-01-01_2025-01-15.xlsx")


def second_half(tmp_path):
    return meli_report(tmp_path, [
        ["2000003", "20 de enero de 2025 09:00 hs.", "Entregado", 1, "380,00", "COJ-01", "MLM222", "Cojín"],
        ["2000004", "28 de enero de 2025 12:00 hs.", "Entregado", 1, "2.450,50", "TAP-001", "MLM111", "Tapete"],
    ], name="Ventas_MX_2025-01-16_2025-01-31.xlsx")


def test_two_half_month_mercadolibre_reports_add_up_to_the_month(tmp_path, shop):
    import_sales("mercadolibre", first_half(tmp_path))
    assert channel_sales(shop, JANUARY) == (Decimal("3210.50"), 2, 3)

    report = import_sales("mercadolibre", second_half(tmp_path))
    assert (report.created, report.updated, report.rejected) == (0, 1, 0)
    assert channel_sales(shop, JANUARY) == (Decimal("6041.00"), 4, 5)
    assert outcome(shop, JANUARY) == (Decimal("6041.00"), Decimal("6041.00"), 4, 5)
    assert sorted(ChannelOrderLine.objects.values_list("order_id", "line_key")) == [
        ("2000001", "MLM111|TAP-001"), ("2000002", "MLM222|COJ-01"),
        ("2000003", "MLM222|COJ-01"), ("2000004", "MLM111|TAP-001"),
    ]


def test_an_overlapping_report_counts_each_order_once(tmp_path, shop):
    import_sales("mercadolibre", first_half(tmp_path))
    import_sales("mercadolibre", second_half(tmp_path))
    overlap = meli_report(tmp_path, [
        ["2000002", "10 de enero de 2025 18:01 hs.", "Entregado", 2, "760,00", "COJ-01", "MLM222", "Cojín"],
        ["2000003", "20 de enero de 2025 09:00 hs.", "Entregado", 1, "380,00", "COJ-01", "MLM222", "Cojín"],
        ["2000007", "25 de enero de 2025 16:00 hs.", "Entregado", 1, "380,00", "COJ-01", "MLM222", "Cojín"],
        ["2000006", "02 de febrero de 2025 11:00 hs.", "Entregado", 1, "2.450,50", "TAP-001", "MLM111", "Tapete"],
    ], name="Ventas_MX_2025-01-08_2025-02-07.xlsx")

    import_sales("mercadolibre", overlap)

    assert channel_sales(shop, JANUARY) == (Decimal("6421.00"), 5, 6)
    assert channel_sales(shop, FEBRUARY) == (Decimal("2450.50"), 1, 1)
    assert outcome(shop, JANUARY) == (Decimal("6421.00"), Decimal("6421.00"), 5, 6)
    assert outcome(shop, FEBRUARY) == (Decimal("2450.50"), Decimal("2450.50"), 1, 1)
    assert ChannelOrderLine.objects.count() == 6


def test_reimporting_the_same_report_changes_nothing(tmp_path, shop):
    path = first_half(tmp_path)
    import_sales("mercadolibre", path)
    before = snapshot()

    again = import_sales("mercadolibre", path)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert snapshot() == before
    assert [len(rows) for rows in before] == [2, 1, 1]
    assert not any("order lines" in note for note in again.notes)


def test_a_corrected_report_replaces_the_lines_it_repeats(tmp_path, shop):
    import_sales("mercadolibre", first_half(tmp_path))
    corrected = meli_report(tmp_path, [
        ["2000002", "01 de febrero de 2025 00:10 hs.", "Entregado", 2, "700,00", "COJ-01", "MLM222", "Cojín"],
    ], name="Ventas_MX_corregido.xlsx")

    report = import_sales("mercadolibre", corrected)

    assert "order lines: 0 new, 1 corrected, 0 cancelled since an earlier report" in report.notes
    assert ChannelOrderLine.objects.count() == 2
    # The line moved to February, so January is recomputed without it although the report has no January line.
    assert channel_sales(shop, JANUARY) == (Decimal("2450.50"), 1, 1)
    assert channel_sales(shop, FEBRUARY) == (Decimal("700.00"), 1, 2)
    # online_sales and orders follow the channels; total_sales and units are never lowered.
    assert outcome(shop, JANUARY) == (Decimal("2450.50"), Decimal("3210.50"), 1, 3)
    assert outcome(shop, FEBRUARY) == (Decimal("700.00"), Decimal("700.00"), 1, 2)


def test_an_order_imported_as_sold_and_then_reported_cancelled_stops_counting(tmp_path, shop):
    import_sales("mercadolibre", first_half(tmp_path))
    later = meli_report(tmp_path, [
        ["2000002", "10 de enero de 2025 18:01 hs.", "Cancelada por el comprador", 2, "760,00", "COJ-01", "MLM222", "Cojín"],
        ["2000008", "14 de enero de 2025 08:00 hs.", "Entregado", 1, "380,00", "COJ-01", "MLM222", "Cojín"],
    ], name="Ventas_MX_2025-01-10_2025-01-20.xlsx")

    report = import_sales("mercadolibre", later)

    assert (report.read, report.skipped, report.rejected) == (2, 1, 0)
    assert ChannelOrderLine.objects.get(order_id="2000002").status == ChannelOrderLine.Status.CANCELLED
    assert channel_sales(shop, JANUARY) == (Decimal("2830.50"), 2, 2)
    # online_sales and orders follow the channels; total_sales and units are never lowered.
    assert outcome(shop, JANUARY) == (Decimal("2830.50"), Decimal("3210.50"), 2, 3)

    cancel_the_rest = meli_report(tmp_path, [
        ["2000001", "05 de enero de 2025 10:32 hs.", "Devolución", 1, "2.450,50", "TAP-001", "MLM111", "Tapete"],
        ["2000008", "14 de enero de 2025 08:00 hs.", "Cancelada", 1, "380,00", "COJ-01", "MLM222", "Cojín"],
    ], name="Ventas_MX_cancelaciones.xlsx")
    import_sales("mercadolibre", cancel_the_rest)
    assert channel_sales(shop, JANUARY) == (Decimal("0.00"), 0, 0)
    assert outcome(shop, JANUARY)[:3] == (Decimal("0.00"), Decimal("3210.50"), 0)


def test_a_cancelled_order_never_imported_as_sold_leaves_nothing(tmp_path, shop):
    report = import_sales("mercadolibre", meli_report(tmp_path, [
        ["2000009", "10 de enero de 2025 18:01 hs.", "Cancelada", 1, "380,00", "COJ-01", "MLM222", "Cojín"],
    ]))
    assert report.skipped == 1
    assert snapshot() == ([], [], [])


SHOPIFY_HEADERS = ["Name", "Email", "Financial Status", "Created at", "Cancelled at", "Currency",
                   "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku"]


def test_every_line_item_of_a_shopify_order_counts(tmp_path, shop):
    # Shopify fills order-level cells (financial status, cancellation) on an order's first row only.
    path = write_csv(tmp_path / "orders_export.csv", [
        SHOPIFY_HEADERS,
        ["#1001", "a@example.com", "paid", "2025-01-05 10:00:00 -0600", "", "MXN", "2", "Cojín", "380.00", "COJ-01"],
        ["#1001", "a@example.com", "", "2025-01-05 10:00:00 -0600", "", "MXN", "1", "Tapete", "2450.50", "TAP-001"],
        ["#1002", "b@example.com", "voided", "2025-01-06 10:00:00 -0600", "2025-01-06 11:00:00 -0600", "MXN", "1", "Cojín", "380.00", "COJ-01"],
        ["#1002", "b@example.com", "", "2025-01-06 10:00:00 -0600", "", "MXN", "1", "Tapete", "2450.50", "TAP-001"],
        ["#1003", "c@example.com", "paid", "2025-01-07 10:00:00 -0600", "", "MXN", "1", "Cojín azul", "380.00", "COJ-01"],
        ["#1003", "c@example.com", "", "2025-01-07 10:00:00 -0600", "", "MXN", "1", "Cojín rebajado", "350.00", "COJ-01"],
    ])

    report = import_sales("shopify", path)

    assert (report.read, report.skipped, report.rejected) == (6, 2, 0)
    assert sorted(ChannelOrderLine.objects.values_list("order_id", "line_key", "units", "amount")) == [
        ("#1001", "|COJ-01", 2, Decimal("760.00")), ("#1001", "|TAP-001", 1, Decimal("2450.50")),
        ("#1003", "|COJ-01", 1, Decimal("380.00")), ("#1003", "|COJ-01#2", 1, Decimal("350.00")),
    ]
    assert channel_sales(shop, JANUARY, "shopify") == (Decimal("3940.50"), 2, 5)
    assert outcome(shop, JANUARY) == (Decimal("3940.50"), Decimal("3940.50"), 2, 5)

    before = snapshot()
    import_sales("shopify", path)
    assert snapshot() == before


def test_dry_run_and_refused_all_or_nothing_write_no_order_lines(tmp_path, shop):
    report = import_sales("mercadolibre", first_half(tmp_path), dry_run=True)
    assert (report.created, report.committed) == (1, False)
    assert snapshot() == ([], [], [])

    with_a_bad_line = meli_report(tmp_path, [
        ["2000001", "05 de enero de 2025 10:32 hs.", "Entregado", 1, "2.450,50", "TAP-001", "MLM111", "Tapete"],
        ["", "06 de enero de 2025 10:32 hs.", "Entregado", 1, "380,00", "COJ-01", "MLM222", "Cojín"],
    ], name="Ventas_sin_numero.xlsx")
    report = import_sales("mercadolibre", with_a_bad_line, mode="all-or-nothing")
    assert [(e.line, e.column, e.reason) for e in report.errors] == [(6, "order", Reason.MISSING)]
    assert snapshot() == ([], [], [])

    import_sales("mercadolibre", first_half(tmp_path))
    before = snapshot()
    cancelling = meli_report(tmp_path, [
        ["2000001", "05 de enero de 2025 10:32 hs.", "Cancelada", 1, "2.450,50", "TAP-001", "MLM111", "Tapete"],
    ], name="Ventas_cancelacion.xlsx")
    import_sales("mercadolibre", cancelling, dry_run=True)
    assert snapshot() == before


def test_a_month_imported_before_order_lines_were_kept_stays_until_a_report_brings_its_lines(tmp_path, shop):
    meli = SalesChannel.objects.create(code="mercadolibre", name="Mercado Libre", kind="marketplace")
    ChannelSales.objects.create(enterprise=shop, channel=meli, month=datetime.date(2024, 12, 1), sales=Decimal("5000.00"), orders=3, units=4)
    ChannelSales.objects.create(enterprise=shop, channel=meli, month=JANUARY, sales=Decimal("9000.00"), orders=5, units=6)

    report = import_sales("mercadolibre", first_half(tmp_path))

    assert channel_sales(shop, datetime.date(2024, 12, 1)) == (Decimal("5000.00"), 3, 4)
    assert channel_sales(shop, JANUARY) == (Decimal("3210.50"), 2, 3)
    assert any(note.startswith("1 month(s) imported before order lines were kept") and "tapetes-ruiz 2025-01" in note
               for note in report.notes)


def test_a_sales_import_is_on_the_audit_trail_with_its_order_lines(tmp_path, shop):
    from aldea.ops.models import AuditEntry

    path = meli_report(tmp_path, [
        ["2000001", "15 de enero de 2025 10:32 hs.", "Entregado", 1, "2.450,50", "TAP-001", "MLM111", "Tapete"],
        ["2000002", "20 de enero de 2025 18:01 hs.", "Entregado", 2, "760,00", "COJ-01", "MLM222", "Cojín"],
    ])
    import_sales("mercadolibre", path)
    entry = AuditEntry.objects.get(door="import")
    assert (entry.programme_id, entry.rows, entry.actor) == (shop.programme_id, 2, None)
    assert entry.content_type.model_class() is ChannelOrderLine
    import_sales("mercadolibre", path)  # nothing new: no second entry
    assert AuditEntry.objects.filter(door="import").count() == 1
