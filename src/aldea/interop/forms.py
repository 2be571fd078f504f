from django import forms
from django.utils.translation import gettext_lazy as _

from aldea.interop.importers.base import ALL_OR_NOTHING, VALID_ROWS
from aldea.interop.labels import labelled_registries

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Registry"))
    file = forms.FileField(label=_("File (CSV, XLSX or Parquet)"))
    mode = forms.ChoiceField(
        label=_("If some rows are bad"),
        choices=[(VALID_ROWS, _("import the good rows")), (ALL_OR_NOTHING, _("import nothing"))],
        initial=VALID_ROWS,
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = labelled_registries(kinds)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB; use the aldea import command."))
        return upload
