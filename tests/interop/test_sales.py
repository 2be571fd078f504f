"""Sales reports from Mercado Libre, Shopify and Amazon become monthly outcomes and live listings."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from interop_files import write_csv, write_xlsx

from aldea.enterprises.models import Enterprise, Product
from aldea.interop.importers.base import Reason
from aldea.interop.models import ChannelSales
from aldea.interop.sales import import_sales, parse_sale_date
from aldea.outcomes.models import Listing, OutcomeRecord


@pytest.fixture
def shop(programme):
    village = programme.villages.get(slug="teotitlan")
    ruiz = Enterprise.objects.create(programme=programme, village=village, code="tapetes-ruiz", name="Tapetes Ruiz",
                                     municipality=village.municipality, sector="textiles")
    Product.objects.create(enterprise=ruiz, sku="TAP-001", title="Tapete", price=Decimal("2450.50"))
    Product.objects.create(enterprise=ruiz, sku="COJ-01", title="Cojín", price=Decimal(380))
    return ruiz


MELI_HEADERS = ["# de venta", "Fecha de venta", "Estado", "Unidades", "Ingresos por productos (MXN)", "SKU", "# de publicación", "Título de la publicación"]


def meli_report(tmp_path, rows):
    return write_xlsx(tmp_path / "Ventas_MX_2025.xlsx", {"Ventas MX": [
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
        Decimal("3210.50"), Decimal("3210.50"), 2, 3, "import")
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
