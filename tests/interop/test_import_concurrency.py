"""Imports at the same time: no duplicates, and a report rather than a traceback.

Real threads, each with its own database connection, on whichever database the suite runs on
(CI runs it on SQLite and on PostgreSQL). SQLite has one write lock per database, PostgreSQL
row locks and an advisory lock: the import lock (importers/writing.py) makes the second import
wait on both, then find the first one's rows.
"""

import io
import threading
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from interop_files import write_csv

from aldea.accounts.models import Person
from aldea.enterprises.models import Enterprise, Product
from aldea.interop.importers.base import Reason
from aldea.interop.services import import_registry

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 3000


def at_once(*jobs):
    """Run the jobs on threads released together; (results, exceptions raised)."""
    start = threading.Barrier(len(jobs))
    results, raised = [None] * len(jobs), []

    def run(index, job):
        try:
            start.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 (a traceback is what the test looks for)
            raised.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results, raised


def command(*args):
    def run():
        out = io.StringIO()
        call_command("import", *args, stdout=out)
        return out.getvalue()
    return run


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("key", ["email", "external_id"])
def test_two_concurrent_people_imports_of_one_file_create_each_person_once(tmp_path, territory, key):
    header = ["Nombre", "Apellidos", "Correo"] if key == "email" else ["Nombre", "Apellidos", "Folio"]
    rows = [[f"Persona {i}", "Ruiz", f"persona{i}@example.org" if key == "email" else f"OAX-{i:05d}"] for i in range(PEOPLE)]
    path = write_csv(tmp_path / "personas.csv", [header, *rows], delimiter=";", encoding="cp1252")
    outputs, raised = at_once(command("people", str(path)), command("people", str(path)))
    assert raised == []
    assert Person.objects.count() == PEOPLE
    # One import created everyone; the other, waiting for it, found them all unchanged.
    assert sorted("created 3000" in out for out in outputs) == [False, True]
    assert all("rejected 0" in out for out in outputs)


def test_two_concurrent_product_imports_end_in_reports_not_tracebacks(tmp_path, programme):
    village = programme.villages.get(slug="teotitlan")
    Enterprise.objects.create(programme=programme, village=village, code="tapetes-ruiz", name="Tapetes Ruiz",
                              municipality=village.municipality, sector="textiles")
    path = write_csv(tmp_path / "productos.csv", [["enterprise", "sku", "title", "price"],
                                                  *[["tapetes-ruiz", f"TAP-{i:03d}", f"Tapete {i}", "10"] for i in range(500)]])
    reports, raised = at_once(lambda: import_registry("products", path), lambda: import_registry("products", path))
    assert raised == []
    assert Product.objects.count() == 500
    assert all(r.ok and not r.file_error for r in reports)
    assert sorted((r.created, r.unchanged) for r in reports) == [(0, 500), (500, 0)]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite has one write lock: the import holds it from its first statement, so no other "
                           "writer can insert a key between the import's lookup and its insert")
def test_a_key_inserted_by_another_writer_mid_import_is_rejected_by_the_database(tmp_path, programme):
    """Another door (the API) inserts a product while an import copies the same SKU: the import
    waits on the row, then reports that row as rejected by the database and writes the others."""
    village = programme.villages.get(slug="teotitlan")
    ruiz = Enterprise.objects.create(programme=programme, village=village, code="tapetes-ruiz", name="Tapetes Ruiz",
                                     municipality=village.municipality, sector="textiles")
    path = write_csv(tmp_path / "productos.csv", [["enterprise", "sku", "title", "price"], ["tapetes-ruiz", "TAP-000", "Uno", "10"],
                                                  ["tapetes-ruiz", "TAP-001", "Dos", "10"], ["tapetes-ruiz", "TAP-002", "Tres", "10"]])
    inserted, release = threading.Event(), threading.Event()

    def other_writer():
        with transaction.atomic():
            Product.objects.create(enterprise=ruiz, sku="TAP-001", title="Desde la API", price=Decimal(12))
            inserted.set()
            release.wait(60)

    def wait_until_the_import_waits():
        deadline = time.monotonic() + 30
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
        release.set()

    def importer():
        inserted.wait(30)
        return import_registry("products", path)

    (_, report, _), raised = at_once(other_writer, importer, wait_until_the_import_waits)
    assert raised == []
    assert [(e.line, e.reason) for e in report.errors] == [(3, Reason.DATABASE)]
    assert (report.created, report.rejected, report.committed) == (2, 1, True)
    assert dict(Product.objects.values_list("sku", "title")) == {"TAP-000": "Uno", "TAP-001": "Desde la API", "TAP-002": "Tres"}
