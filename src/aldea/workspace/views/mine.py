"""The MSME owner's own page: her training, certificates, and her MSMEs' diagnostics, listings
and monthly results, with the way to enter her own month."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from aldea.workspace.figures import owner as figures


@login_required
def my_page(request):
    return render(request, "workspace/mine.html", {
        "enrolments": figures.own_enrolments(request.user),
        "certificates": figures.own_certificates(request.user),
        "enterprises": figures.own_enterprises(request.user),
    })
