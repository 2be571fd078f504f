from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aldea.core.forms import DateInput
from aldea.training.models import AssessmentResult, Attendance


class AttendanceForm(forms.Form):
    """One tap on the attendance sheet: which participant, which status."""

    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)


class AssessmentEntryForm(forms.Form):
    """One assessment (an exam, a project) with a score for each participant who took it.

    A blank score means the participant has no result for it; an existing result with the same
    name is corrected, since a result is unique per participant and assessment name.
    """

    name = forms.CharField(label=_("Assessment"), max_length=120)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        if not self.is_bound:
            self.fields["assessed_on"].initial = timezone.localdate()
        for enrolment in self.enrolments:
            self.fields[self.score_field(enrolment)] = forms.DecimalField(
                label=str(enrolment.person), required=False, min_value=Decimal(0), max_value=Decimal(100),
                max_digits=5, decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": 0, "max": 100}),
            )

    @staticmethod
    def score_field(enrolment) -> str:
        return f"score_{enrolment.pk}"

    def score_rows(self):
        """(enrolment, bound score field) for the template."""
        return [(enrolment, self[self.score_field(enrolment)]) for enrolment in self.enrolments]

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return assessed_on

    def clean(self):
        cleaned = super().clean()
        if not self.errors and all(cleaned.get(self.score_field(e)) is None for e in self.enrolments):
            raise forms.ValidationError(_("Enter at least one score."))
        return cleaned

    @transaction.atomic
    def save(self, *, assessor=None) -> int:
        """Store the entered scores; returns how many were stored."""
        saved = 0
        for enrolment in self.enrolments:
            score = self.cleaned_data.get(self.score_field(enrolment))
            if score is None:
                continue
            AssessmentResult.objects.update_or_create(
                enrolment=enrolment, name=self.cleaned_data["name"].strip(),
                defaults={"score": score, "assessed_on": self.cleaned_data["assessed_on"], "assessor": assessor},
            )
            saved += 1
        return saved


class IssueCertificateForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)


class RevokeCertificateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
    )
