"""An import changes only what its user may change and refers only to what they may use.

Two programmes: A (``aldeas-oaxaca``, the interop fixture) and B (``aldeas-valles``). B's
manager imports through the Data page and through the service; the command line (no user)
reaches everything. Every lookup goes through the access policy (importers/scope.py).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from interop_files import write_csv

from aldea.accounts.models import Membership, Person, User
from aldea.enterprises.models import Enterprise, Product
from aldea.interop.importers.base import Reason
from aldea.interop.models import PersonReference
from aldea.interop.services import import_registry
from aldea.outcomes.models import OutcomeRecord
from aldea.programmes.models import Programme, Village


def manager_of(*programmes, username):
    user = User.objects.create_user(username=username, password="x")
    person = Person.objects.create(given_name=username, user=user)
    for programme in programmes:
        Membership.objects.create(person=person, role="manager", programme=programme)
    return user


@pytest.fixture
def two(programme, territory):
    """Programme A with an MSME that has an owner and outcomes; programme B with its manager."""
    b = Programme.objects.create(slug="aldeas-valles", name="Aldeas de los Valles", country=territory["mexico"],
                                 currency="MXN", starts_on=datetime.date(2024, 1, 1))
    Village.objects.create(programme=b, slug="tlacolula", name="Tlacolula", municipality=territory["teotitlan"], speciality="x")
    a_manager = manager_of(programme, username="manager-a")
    owner = Person.objects.create(given_name="Isaura", family_name="Ruiz", email="isaura@example.org")
    PersonReference.objects.create(person=owner, external_id="OAX-0001")
    ruiz = Enterprise.objects.create(programme=programme, village=programme.villages.get(slug="teotitlan"), code="tapetes-ruiz",
                                     name="Tapetes Ruiz", municipality=territory["teotitlan"], sector="textiles", owner=owner)
    OutcomeRecord.objects.create(enterprise=ruiz, month=datetime.date(2025, 1, 1), total_sales=Decimal(9000), online_sales=Decimal(4000))
    Product.objects.create(enterprise=ruiz, sku="TAP-001", title="Tapete", price=Decimal(2450))
    return {"a": programme, "b": b, "a_manager": a_manager, "b_manager": manager_of(b, username="manager-b"),
            "ruiz": ruiz, "owner": owner}


def enterprises_csv(tmp_path, *rows, name="mipymes.csv"):
    return write_csv(tmp_path / name, [["Código", "Nombre", "Aldea", "Giro"], *rows], delimiter=";", encoding="cp1252")


def snapshot(enterprise):
    enterprise.refresh_from_db()
    return (enterprise.programme_id, enterprise.village_id, enterprise.name, enterprise.owner_id, enterprise.updated_at)


def upload(client, content, kind="enterprises", name="mipymes.csv"):
    return client.post(reverse("interop:upload"), {"kind": kind, "mode": "valid-rows", "file": SimpleUploadedFile(name, content)})


def test_another_programmes_code_is_refused_in_the_dry_run_and_the_commit_alike(client, two, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    before = snapshot(two["ruiz"])
    client.force_login(two["b_manager"])
    content = enterprises_csv(tmp_path, ["tapetes-ruiz", "Tapetes de B", "tlacolula", "textiles"]).read_bytes()
    preview = upload(client, content)
    report = preview.context["report"]
    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 0, 0, 1)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [(2, "code", Reason.UNAVAILABLE)]
    committed = client.post(reverse("interop:commit"), {"token": preview.context["token"]}).context["report"]
    assert (committed.created, committed.updated, committed.written, committed.rejected) == (0, 0, 0, 1)
    assert [(e.column, e.reason, e.detail) for e in committed.errors] == [(e.column, e.reason, e.detail) for e in report.errors]
    # A's MSME was neither moved nor touched, and B sees nothing of it.
    assert snapshot(two["ruiz"]) == before
    assert b'data-count="updated">0' in preview.content and b"Tapetes Ruiz" not in preview.content


def test_a_taken_code_reads_the_same_wherever_it_lives_and_never_says_where(two, tmp_path, territory):
    c = Programme.objects.create(slug="otro", name="Otro", country=territory["mexico"], currency="MXN", starts_on=datetime.date(2024, 1, 1))
    Enterprise.objects.create(programme=c, code="alebrijes-c", name="Alebrijes C", municipality=territory["arrazola"],
                              sector="crafts", group="comparison")
    path = enterprises_csv(tmp_path, ["tapetes-ruiz", "X", "tlacolula", "textiles"], ["alebrijes-c", "Y", "tlacolula", "crafts"])
    report = import_registry("enterprises", path, user=two["b_manager"])
    first, second = report.errors
    assert first.reason == second.reason == Reason.UNAVAILABLE and first.detail == second.detail
    for words in (str(first), str(second)):
        assert not any(secret in words for secret in ("aldeas-oaxaca", "Oaxaca", "otro", "Otro", "Tapetes Ruiz", "Alebrijes C"))
    assert Enterprise.objects.filter(programme=two["b"]).count() == 0


def test_an_import_never_moves_an_msme_to_another_programme(two, tmp_path):
    both = manager_of(two["a"], two["b"], username="manager-ab")
    before = snapshot(two["ruiz"])
    path = write_csv(tmp_path / "mover.csv", [["code", "name", "programme", "village", "sector"],
                                               ["tapetes-ruiz", "Tapetes Ruiz", "aldeas-valles", "tlacolula", "textiles"]])
    for user in (both, None):  # a manager of both programmes, and the command line
        report = import_registry("enterprises", path, user=user)
        assert [(e.column, e.reason) for e in report.errors] == [("programme", Reason.BAD_VALUE)]
        assert report.updated == 0 and snapshot(two["ruiz"]) == before


def test_an_owner_is_a_person_the_importer_may_change_in_that_programme(two, tmp_path):
    a_person = Person.objects.get(user=two["a_manager"])
    rows = [["code", "name", "village", "sector", "owner_id"],
            ["b-1", "Uno", "tlacolula", "crafts", str(a_person.id)],
            ["b-2", "Dos", "tlacolula", "crafts", "999999"]]
    report = import_registry("enterprises", write_csv(tmp_path / "owners.csv", rows), user=two["b_manager"])
    foreign, missing = report.errors
    assert (foreign.column, foreign.reason) == (missing.column, missing.reason) == ("owner_id", Reason.UNKNOWN)
    assert foreign.detail.replace(str(a_person.id), "N") == missing.detail.replace("999999", "N")
    by_ref = [["code", "name", "village", "sector", "owner_external_id"], ["b-3", "Tres", "tlacolula", "crafts", "OAX-0001"]]
    report = import_registry("enterprises", write_csv(tmp_path / "refs.csv", by_ref), user=two["b_manager"])
    assert [(e.column, e.reason) for e in report.errors] == [("owner_external_id", Reason.UNKNOWN)]
    assert not Enterprise.objects.filter(programme=two["b"]).exists()
    # A's manager may name A's people as owners of A's MSMEs.
    own = [["code", "name", "village", "sector", "owner_external_id"], ["a-9", "Nueve", "teotitlan", "crafts", "OAX-0001"]]
    report = import_registry("enterprises", write_csv(tmp_path / "own.csv", own), user=two["a_manager"])
    assert report.ok and Enterprise.objects.get(code="a-9").owner == two["owner"]


def test_programmes_and_villages_out_of_reach_read_as_unknown(two, tmp_path):
    rows = [["code", "name", "programme", "village", "sector"],
            ["b-1", "Uno", "aldeas-oaxaca", "", "crafts"],
            ["b-2", "Dos", "no-such-programme", "", "crafts"],
            ["b-3", "Tres", "aldeas-valles", "teotitlan", "crafts"],
            ["b-4", "Cuatro", "aldeas-valles", "no-such-village", "crafts"]]
    report = import_registry("enterprises", write_csv(tmp_path / "places.csv", rows), user=two["b_manager"])
    a_programme, no_programme, a_village, no_village = report.errors
    assert a_programme.reason == no_programme.reason == Reason.UNKNOWN
    assert a_programme.detail.replace("aldeas-oaxaca", "X") == no_programme.detail.replace("no-such-programme", "X")
    assert a_village.reason == no_village.reason == Reason.UNKNOWN
    assert a_village.detail.replace("teotitlan", "X") == no_village.detail.replace("no-such-village", "X")


def test_products_and_outcomes_of_an_msme_out_of_reach_are_unknown_and_untouched(two, tmp_path):
    products = write_csv(tmp_path / "p.csv", [["enterprise", "sku", "title", "price"],
                                              ["tapetes-ruiz", "TAP-001", "Cambiado", "1"], ["nadie", "X", "Y", "1"]])
    report = import_registry("products", products, user=two["b_manager"])
    assert [e.reason for e in report.errors] == [Reason.UNKNOWN, Reason.UNKNOWN]
    assert report.errors[0].detail.replace("tapetes-ruiz", "X") == report.errors[1].detail.replace("nadie", "X")
    outcomes = write_csv(tmp_path / "o.csv", [["enterprise", "month", "total_sales"], ["tapetes-ruiz", "2025-01", "1"]])
    assert import_registry("outcomes", outcomes, user=two["b_manager"]).errors[0].reason == Reason.UNKNOWN
    assert Product.objects.get(sku="TAP-001").title == "Tapete"
    assert OutcomeRecord.objects.get().total_sales == Decimal(9000)


def test_people_out_of_reach_are_never_matched_or_changed(two, tmp_path):
    owner = two["owner"]
    rows = [["id", "external_id", "given_name", "email"],
            [str(owner.id), "", "Cambiada", ""],
            ["", "OAX-0001", "Cambiada", ""],
            ["", "", "Otra Isaura", "isaura@example.org"]]
    report = import_registry("people", write_csv(tmp_path / "people.csv", rows), user=two["b_manager"])
    assert [(e.column, e.reason) for e in report.errors] == [("id", Reason.UNKNOWN), ("external_id", Reason.UNAVAILABLE)]
    # The email matches nobody B may change: a new person, A's untouched.
    assert report.created == 1 and report.updated == 0
    owner.refresh_from_db()
    assert owner.given_name == "Isaura" and Person.objects.filter(email__iexact="isaura@example.org").count() == 2


def test_reach_is_resolved_per_batch_not_per_row(two, tmp_path):
    """The same queries for 20 rows as for 400: every reference and key is looked up by batch."""
    Enterprise.objects.create(programme=two["b"], village=Village.objects.get(slug="tlacolula"), code="b-existing",
                              name="Existente", municipality=two["ruiz"].municipality, sector="crafts",
                              owner=Person.objects.get(user=two["b_manager"]))
    owner_id = Person.objects.get(user=two["b_manager"]).id

    def queries_for(count):
        rows = [["code", "name", "village", "sector", "owner_id", "locality"],
                ["b-existing", "Existente", "tlacolula", "crafts", str(owner_id), "205460001"],
                ["tapetes-ruiz", "Ajena", "tlacolula", "crafts", "", ""],
                *[[f"b-{i}", f"Nueva {i}", "tlacolula", "crafts", str(owner_id), "205460001"] for i in range(count)]]
        path = write_csv(tmp_path / f"batch-{count}.csv", rows)
        user = User.objects.get(pk=two["b_manager"].pk)  # a fresh user: reach is cached on the object
        with CaptureQueriesContext(connection) as captured:
            report = import_registry("enterprises", path, user=user, dry_run=True)
        assert report.created == count and report.rejected == 1
        return len(captured.captured_queries)

    assert queries_for(20) == queries_for(400)
