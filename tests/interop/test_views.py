"""The data page: dry-run report before commit, scoping by role, downloads."""

import datetime
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from interop_files import stored_upload

from aldea.accounts.models import Membership, Person, User
from aldea.enterprises.models import Enterprise
from aldea.interop.services import UPLOAD_DIR_NAME, UPLOAD_MAX_AGE
from aldea.programmes.models import Programme

CSV = "Código;Nombre;Aldea;Giro\ntapetes-ruiz;Tapetes Ruiz;teotitlan;textiles\nmal;;teotitlan;textiles\n".encode("cp1252")


def person_with(role, programme, username):
    user = User.objects.create_user(username=username, password="x")
    person = Person.objects.create(given_name=username, user=user)
    if role:
        Membership.objects.create(person=person, role=role, programme=programme)
    return user


@pytest.fixture
def manager(programme):
    return person_with("manager", programme, "manager")


def upload(client, content=CSV, kind="enterprises", mode="valid-rows", name="mipymes.csv"):
    return client.post(reverse("interop:upload"), {"kind": kind, "mode": mode, "file": SimpleUploadedFile(name, content)})


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(reverse("interop:upload"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_outsider_cannot_open_the_data_page(client, programme):
    client.force_login(person_with(None, programme, "outsider"))
    assert client.get(reverse("interop:upload")).status_code == 404


def test_analyst_sees_downloads_but_cannot_import(client, programme):
    client.force_login(person_with("analyst", programme, "analyst"))
    response = client.get(reverse("interop:upload"))
    assert response.status_code == 200 and b'enctype="multipart/form-data"' not in response.content
    assert upload(client).status_code == 403
    assert Enterprise.objects.count() == 0


def test_manager_sees_a_dry_run_report_then_commits(client, manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(manager)
    response = upload(client)
    assert response.status_code == 200
    assert response.context["report"].created == 1 and response.context["report"].rejected == 1
    assert b"missing required field" in response.content
    assert Enterprise.objects.count() == 0
    token = response.context["token"]
    committed = client.post(reverse("interop:commit"), {"token": token})
    assert committed.status_code == 200 and committed.context["report"].written == 1
    assert Enterprise.objects.get().code == "tapetes-ruiz"
    # A token imports once.
    assert client.post(reverse("interop:commit"), {"token": token}).status_code == 400
    assert Enterprise.objects.count() == 1


def test_a_preview_deletes_expired_uploads_and_nothing_else(client, manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / UPLOAD_DIR_NAME
    folder.mkdir()
    expired = stored_upload(folder, f"{uuid.uuid4().hex}.csv", UPLOAD_MAX_AGE + 3600)
    fresh = stored_upload(folder, f"{uuid.uuid4().hex}.xlsx", 60)
    others = [stored_upload(folder, name, UPLOAD_MAX_AGE + 3600)
              for name in ("README.txt", f"{uuid.uuid4().hex}.csv.bak", f"{uuid.uuid4().hex[:31]}.csv")]
    client.force_login(manager)
    assert upload(client).status_code == 200
    assert not expired.exists()
    assert fresh.exists() and all(p.exists() for p in others)
    assert len(list(folder.iterdir())) == 5  # fresh, the three others and this preview's file


def test_committing_an_expired_upload_says_so(client, manager, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(manager)
    token = upload(client).context["token"]
    later = time.time() + UPLOAD_MAX_AGE + 120
    monkeypatch.setattr(time, "time", lambda: later)
    assert upload(client, name="otro.csv").status_code == 200
    assert len(list((tmp_path / UPLOAD_DIR_NAME).iterdir())) == 1  # its sweep deleted the first file
    response = client.post(reverse("interop:commit"), {"token": token})
    assert response.status_code == 400 and b"expired" in response.content
    assert Enterprise.objects.count() == 0


def test_a_forged_token_is_refused(client, manager):
    client.force_login(manager)
    assert client.post(reverse("interop:commit"), {"token": "nope"}).status_code == 400


def test_manager_cannot_import_into_another_programme(client, manager, territory, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Programme.objects.create(slug="otro", name="Otro", country=territory["mexico"], currency="MXN", starts_on=datetime.date(2024, 1, 1))
    client.force_login(manager)
    content = b"code,name,programme,municipality,group,sector\nx1,X,otro,20546,comparison,crafts\n"
    report = upload(client, content).context["report"]
    assert report.rejected == 1 and report.errors[0].column == "programme"
    assert upload(client, content, kind="localities").status_code == 400  # not a choice for managers


def test_bad_form_input_is_a_400(client, manager):
    client.force_login(manager)
    assert client.post(reverse("interop:upload"), {"kind": "enterprises"}).status_code == 400


def test_download_exports_only_visible_rows(client, manager, programme, territory):
    village = programme.villages.first()
    Enterprise.objects.create(programme=programme, village=village, code="mine", name="Mía", municipality=village.municipality, sector="crafts")
    other = Programme.objects.create(slug="otro", name="Otro", country=territory["mexico"], currency="MXN", starts_on=datetime.date(2024, 1, 1))
    Enterprise.objects.create(programme=other, group="comparison", code="theirs", name="Ajena", municipality=village.municipality, sector="crafts")
    client.force_login(manager)
    response = client.get(reverse("interop:download", args=["enterprises", "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200 and "mine" in body and "theirs" not in body


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_an_htmx_upload_gets_only_the_report(client, manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(manager)
    response = client.post(
        reverse("interop:upload"),
        {"kind": "enterprises", "mode": "valid-rows", "file": SimpleUploadedFile("mipymes.csv", CSV)},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The partial alone: what htmx swaps into #import-report, not a second page inside the page.
    assert html.lstrip().startswith('<section class="import-report"')
    assert "<html" not in html and "<footer" not in html and 'id="import-report"' not in html
    assert html.count('id="report-heading"') == 1
    assert 'data-count="created">1<' in html
    # Without htmx the same post draws the whole page, with the report inside it.
    again = upload(client)
    assert "<html" in again.content.decode() and 'id="import-report"' in again.content.decode()


def test_an_htmx_upload_with_form_errors_redraws_the_whole_page(client, manager):
    client.force_login(manager)
    response = client.post(reverse("interop:upload"), {"kind": "enterprises", "mode": "valid-rows"}, **HTMX)
    assert response.status_code == 400
    # The errors sit beside the form, outside #import-report: htmx swaps the page's body instead.
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("body", "innerHTML")
    assert "errorlist" in response.content.decode()


def test_the_data_page_names_its_registries_in_the_users_language(client, manager, settings):
    settings.LANGUAGE_CODE = "es-mx"
    client.force_login(manager)
    html = client.get(reverse("interop:upload")).content.decode()
    for name in ("MIPYMES", "Personas", "Productos", "Resultados mensuales", "Localidades"):
        assert f'<th scope="row">{name}</th>' in html, name
    assert '<th scope="row">enterprises</th>' not in html
    # The import form's choices too, while the links and the posted value keep the codes.
    assert '<option value="enterprises">MIPYMES</option>' in html
    assert reverse("interop:download", args=["enterprises", "csv"]) in html
