"""Certificates as PDF: an HTML template rendered by WeasyPrint (needs the system's Pango)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse


def verify_url_for(certificate, *, request=None) -> str:
    """The public address where anyone checks ``certificate``: under ``ALDEA_PUBLIC_URL`` when it
    is set, else under the address the request came in on.

    The certificate is printed and scanned far from the office, so the address printed on it must
    be the public one; behind a proxy the request's own host (often 127.0.0.1) reaches nobody.
    """
    path = reverse("showcase:verify", kwargs={"code": certificate.code})
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    if request is None:
        raise ValueError("set ALDEA_PUBLIC_URL, or pass the request, to build the verification address")
    return request.build_absolute_uri(path)


def verify_qr_svg(verify_url: str) -> str:
    """A QR code of the verification address as an SVG data URI (segno, error correction M, so a
    scuffed print still scans)."""
    import segno

    return segno.make(verify_url, error="m").svg_data_uri(scale=4, border=2, dark="#1f2a2e")


def render_certificate_pdf(certificate, *, verify_url: str) -> bytes:
    """The certificate as a one-page A4 landscape PDF showing its code, where to verify it and a
    QR code of that address.

    WeasyPrint is imported here, not at module level, so the rest of the site runs on a machine
    without Pango; only this view then fails, with an ImportError/OSError naming the library.
    """
    from weasyprint import HTML

    html = render_to_string(
        "training/certificate_pdf.html",
        {"certificate": certificate, "verify_url": verify_url, "verify_qr": verify_qr_svg(verify_url)},
    )
    return HTML(string=html, base_url=verify_url).write_pdf()
