from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aldea.core.forms import DateInput
from aldea.training.models import Attendance, Cohort, Course


class AttendanceForm(forms.Form):
    """One tap on the attendance sheet: which participant, which status."""

    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)
    # The status the sheet showed when the tap was made ("" for none): a row that changed since
    # is a conflict to show, not to overwrite (services.record_attendance).
    seen = forms.ChoiceField(choices=[("", "")] + Attendance.Status.choices, required=False, widget=forms.HiddenInput)

    def seen_status(self):
        """The status seen, or services.UNCHECKED when the sheet did not send one (an old page)."""
        from aldea.training.services import UNCHECKED

        return self.cleaned_data["seen"] or None if "seen" in self.data else UNCHECKED


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

    def scores(self) -> list[tuple]:
        """(enrolment, score) for each participant given a score."""
        return [
            (enrolment, score) for enrolment in self.enrolments
            if (score := self.cleaned_data.get(self.score_field(enrolment))) is not None
        ]


class IssueCertificateForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)


class RevokeCertificateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- the catalogue, cohorts and their schedule ------------------------------------------------


class CourseForm(forms.ModelForm):
    """A course of the catalogue. Its programme is fixed once it exists, since its cohorts hang on it."""

    class Meta:
        model = Course
        fields = ["programme", "code", "title", "level", "hours", "min_attendance", "passing_score", "description"]
        labels = {
            "programme": _("Programme"), "code": _("Code"), "title": _("Name"), "level": _("Level"),
            "hours": _("Hours"), "min_attendance": _("Minimum attendance share"), "passing_score": _("Passing score"),
            "description": _("Description"),
        }
        help_texts = {
            "code": _("Letters, digits and hyphens; unique in the programme."),
            "min_attendance": _("From 0 to 1: 0.8 means 80% of the sessions."),
            "passing_score": _("From 0 to 100: the lowest average score that certifies."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = None
        self.fields["min_attendance"].validators.append(MinValueValidator(0))
        self.fields["min_attendance"].validators.append(MaxValueValidator(1))
        self.fields["passing_score"].validators.append(MinValueValidator(0))
        self.fields["passing_score"].validators.append(MaxValueValidator(100))
        if self.instance.pk:
            self.fields["programme"].disabled = True


class CohortForm(forms.ModelForm):
    """A cohort's settings; the trainers are saved by ``services.save_cohort`` with the cohort."""

    class Meta:
        model = Cohort
        fields = ["course", "code", "village", "starts_on", "ends_on", "capacity", "trainers"]
        labels = {
            "course": _("Course"), "code": _("Code"), "village": _("Village"), "starts_on": _("Starts on"),
            "ends_on": _("Ends on"), "capacity": _("Capacity"), "trainers": _("Trainers"),
        }
        help_texts = {
            "code": _("Letters, digits and hyphens; unique."),
            "trainers": _("People with a trainer role in the course's programme."),
        }
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "trainers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, courses, villages, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses.select_related("programme")
        self.fields["course"].empty_label = None
        self.fields["village"].queryset = villages
        self.fields["trainers"].queryset = trainers.order_by("family_name", "given_name")
        if self.instance.pk:
            # Its enrolments and sessions belong to the course's programme.
            self.fields["course"].disabled = True

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return cleaned


WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]


class ScheduleForm(forms.Form):
    count = forms.IntegerField(label=_("Number of sessions"), min_value=1, max_value=52, initial=4)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    first_on = forms.DateField(label=_("From"), widget=DateInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=600, initial=120)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class EnrolForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.order_by("family_name", "given_name")


class EnrolmentChoiceForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)


class MoveForm(forms.Form):
    to_cohort = forms.ModelChoiceField(label=_("Move to cohort"), queryset=None, to_field_name="code")

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_cohort"].queryset = cohorts
