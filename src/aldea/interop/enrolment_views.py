"""A cohort's bulk enrolment: a pasted list or a spreadsheet, checked first, then imported."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from aldea.core.access import changeable_or_404
from aldea.interop.forms import MAX_UPLOAD_BYTES
from aldea.interop.services import UploadRefused, commit_upload, preview_paste, preview_upload
from aldea.training.queries import cohorts_visible_to, cohorts_writable_by


class EnrolmentListForm(forms.Form):
    pasted = forms.CharField(
        label=_("Paste the list"), required=False, max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "Ana\tLópez Ruiz\nJuan\tPérez"}),
        help_text=_("One person a line: given name, then family names. Or copy the rows of a spreadsheet, "
                    "its header included (nombre, apellidos, sexo, correo, telefono, folio...)."),
    )
    file = forms.FileField(label=_("Or a file (CSV or XLSX)"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("pasted", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste a list or choose a file."))
        if data.get("file") and data["file"].size > MAX_UPLOAD_BYTES:
            self.add_error("file", _("The file is larger than 200 MB; use the aldea import command."))
        return data


def _cohort(request, code):
    return changeable_or_404(cohorts_visible_to(request.user).select_related("course"),
                             cohorts_writable_by(request.user), code=code)


def _render(request, cohort, form, status=200, **context):
    context.update(cohort=cohort, form=form, commit_url=reverse("interop:enrol_commit", args=[cohort.code]))
    template = "interop/partials/report.html" if request.htmx and "report" in context else "interop/enrol.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def enrol_list(request, code):
    cohort = _cohort(request, code)
    form = EnrolmentListForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return _render(request, cohort, form)
    if not form.is_valid():
        return _render(request, cohort, form, status=400)
    try:
        if form.cleaned_data.get("file"):
            report, token = preview_upload(user=request.user, kind="enrolments", cohort=cohort.code,
                                           uploaded_file=form.cleaned_data["file"])
        else:
            report, token = preview_paste(user=request.user, cohort=cohort.code, pasted=form.cleaned_data["pasted"])
    except UploadRefused as exc:
        return _render(request, cohort, form, status=403, error=str(exc))
    return _render(request, cohort, form, report=report, token=token if not report.file_error else "")


@login_required
@require_POST
def enrol_commit(request, code):
    cohort = _cohort(request, code)
    try:
        report = commit_upload(user=request.user, token=request.POST.get("token", ""))
    except UploadRefused as exc:
        return _render(request, cohort, EnrolmentListForm(), status=400, error=str(exc))
    return _render(request, cohort, EnrolmentListForm(), report=report, committed=True)
