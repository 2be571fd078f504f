import datetime
import re
import zlib

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aldea.training.models import Certificate
from aldea.training.pdf import verify_qr_svg, verify_url_for
from tests import factories as f


def _certificate(cohort, person=None, code="ALD-7K3M-Q9XZ"):
    enrolment = f.EnrolmentFactory(cohort=cohort, **({"person": person} if person else {}))
    return f.CertificateFactory(enrolment=enrolment, code=code, issued_on=datetime.date(2024, 4, 2))


def test_pdf_is_served_to_the_cohorts_overseers_and_the_holder(login, world, cohort):
    certificate = _certificate(cohort, person=world.consultant.person)
    for user in (world.manager, world.trainer, world.consultant):
        response = login(user).get(f"/training/certificate/{certificate.code}.pdf")
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_pdf_is_404_out_of_scope_and_login_is_required(client, login, world, cohort):
    certificate = _certificate(cohort)
    anonymous = client.get(f"/training/certificate/{certificate.code}.pdf")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert login(world.outsider).get(f"/training/certificate/{certificate.code}.pdf").status_code == 404
    # Another consultant's certificate is private to the cohort's overseers and its holder.
    assert login(world.consultant).get(f"/training/certificate/{certificate.code}.pdf").status_code == 404
    assert login(world.manager).get("/training/certificate/ALD-NONE-NONE.pdf").status_code == 404


def test_pdf_template_prints_the_code_and_the_verify_address(world, cohort):
    certificate = _certificate(cohort)
    html = render_to_string(
        "training/certificate_pdf.html",
        {"certificate": certificate, "verify_url": f"https://aldea.example/verify/{certificate.code}/"},
    )
    assert certificate.code in html
    assert f"https://aldea.example/verify/{certificate.code}/" in html
    assert str(certificate.enrolment.person) in html


def test_verify_confirms_a_valid_certificate_without_login(client, world, cohort):
    certificate = _certificate(cohort)
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid certificate" in html
    assert str(certificate.enrolment.person) in html
    assert cohort.course.title in html


def test_verify_accepts_lower_case_codes(client, cohort):
    certificate = _certificate(cohort)
    assert client.get(f"/verify/{certificate.code.lower()}/").context["certificate"] == certificate


def test_verify_denies_an_unknown_code(client, world):
    response = client.get("/verify/ALD-FAKE-CODE/")
    assert response.status_code == 404
    assert "No Aldea certificate has the code" in response.content.decode()


def test_verify_shows_a_revocation_with_date_and_reason(client, world, cohort):
    certificate = _certificate(cohort)
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.make_aware(datetime.datetime(2024, 6, 5, 12)), revocation_reason="Plagio comprobado",
    )
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Revoked" in html and "Plagio comprobado" in html and "2024" in html
    assert "Valid certificate" not in html


def test_verify_costs_the_same_queries_whatever_the_data(client, world, cohort):
    certificate = _certificate(cohort)
    with CaptureQueriesContext(connection) as small:
        client.get(f"/verify/{certificate.code}/")
    for index in range(20):
        _certificate(cohort, code=f"ALD-MORE-{index:04d}")
    with CaptureQueriesContext(connection) as large:
        client.get(f"/verify/{certificate.code}/")
    assert len(small.captured_queries) == len(large.captured_queries) <= 15


def test_pdf_costs_the_same_queries_whatever_the_data(login, world, cohort):
    certificate = _certificate(cohort)
    client = login(world.trainer)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/training/certificate/{certificate.code}.pdf").status_code == 200
    for index in range(20):
        _certificate(cohort, code=f"ALD-MORE-{index:04d}")
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"/training/certificate/{certificate.code}.pdf").status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries) <= 15


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for the link and the drawn QR."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


@override_settings(PUBLIC_URL="https://aldea.example.org")
def test_pdf_prints_the_public_verification_address_and_its_qr_code(login, world, cohort):
    certificate = _certificate(cohort, code="ALD-7K3MQ-9XZ2B")
    response = login(world.trainer).get(f"/training/certificate/{certificate.code}.pdf", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    content = pdf_text(response.content)
    assert b"https://aldea.example.org/verify/ALD-7K3MQ-9XZ2B/" in content
    assert b"127.0.0.1" not in content
    assert b"/XObject" in content  # the QR code, drawn from its SVG


def test_verify_address_falls_back_to_the_request_without_a_public_url(rf, world, cohort, settings):
    certificate = _certificate(cohort, code="ALD-7K3MQ-9XZ2B")
    settings.PUBLIC_URL = ""
    request = rf.get("/", HTTP_HOST="testserver")
    assert verify_url_for(certificate, request=request) == "http://testserver/verify/ALD-7K3MQ-9XZ2B/"
    with pytest.raises(ValueError, match="ALDEA_PUBLIC_URL"):
        verify_url_for(certificate)
    settings.PUBLIC_URL = "https://aldea.example.org"
    assert verify_url_for(certificate) == "https://aldea.example.org/verify/ALD-7K3MQ-9XZ2B/"


def test_pdf_template_embeds_the_qr_code_of_the_address_it_prints(world, cohort):
    certificate = _certificate(cohort)
    url = f"https://aldea.example.org/verify/{certificate.code}/"
    qr = verify_qr_svg(url)
    assert qr.startswith("data:image/svg+xml")
    html = render_to_string("training/certificate_pdf.html", {"certificate": certificate, "verify_url": url, "verify_qr": qr})
    assert f'src="{qr}"' in html.replace("&#x27;", "'")
    # Another address gives another code: the QR is of this certificate's address.
    assert verify_qr_svg(url.replace(certificate.code, "ALD-22222-22222")) != qr
