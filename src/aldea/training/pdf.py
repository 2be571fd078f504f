"""Certificates as PDF: an HTML template rendered by WeasyPrint (needs the system's Pango)."""

from django.template.loader import render_to_string


def render_certificate_pdf(certificate, *, verify_url: str) -> bytes:
    """The certificate as a one-page A4 landscape PDF showing its code and where to verify it.

    WeasyPrint is imported here, not at module level, so the rest of the site runs on a machine
    without Pango; only this view then fails, with an ImportError/OSError naming the library.
    """
    from weasyprint import HTML

    html = render_to_string(
        "training/certificate_pdf.html", {"certificate": certificate, "verify_url": verify_url}
    )
    return HTML(string=html, base_url=verify_url).write_pdf()
