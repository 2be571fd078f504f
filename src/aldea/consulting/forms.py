from urllib.parse import urlencode

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aldea.consulting.models import ActionItem, DropReason, Meeting, Stage
from aldea.consulting.services import drop_reason_problem
from aldea.core.forms import DateInput


class BoardFilterForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, required=False, to_field_name="slug",
                                     empty_label=_("All villages"))
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=None, required=False,
                                        empty_label=_("All consultants"))
    consultant_name = forms.CharField(label=_("Consultant's name"), required=False, max_length=100)

    def __init__(self, *args, villages, consultants, me=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        field = self.fields["consultant"]
        field.queryset = consultants
        # At national scale a village has thousands of consultants: the list offers only "all",
        # the user themself and the one chosen; the name field finds the others. The queryset
        # still validates any visible consultant, by one lookup.
        chosen = self.cleaned_data.get("consultant") if self.is_bound and self.is_valid() else None
        shown = {person.pk: person for person in (me, chosen) if person is not None}
        field.widget.choices = [("", field.empty_label)] + [(pk, str(person)) for pk, person in shown.items()]

    def apply(self, engagements):
        """The engagements narrowed to the chosen village and consultant, and to consultants
        whose name holds every word typed (invalid choices ignored)."""
        if not self.is_valid():
            return engagements
        if self.cleaned_data.get("village"):
            engagements = engagements.filter(enterprise__village=self.cleaned_data["village"])
        if self.cleaned_data.get("consultant"):
            engagements = engagements.filter(consultant=self.cleaned_data["consultant"])
        for word in self.cleaned_data.get("consultant_name", "").split():
            engagements = engagements.filter(
                Q(consultant__given_name__icontains=word) | Q(consultant__family_name__icontains=word)
            )
        return engagements

    def query_string(self) -> str:
        """The active filters as a query string for links and hidden fields."""
        if not self.is_valid():
            return ""
        parts = []
        if self.cleaned_data.get("village"):
            parts.append(f"village={self.cleaned_data['village'].slug}")
        if self.cleaned_data.get("consultant"):
            parts.append(f"consultant={self.cleaned_data['consultant'].pk}")
        if self.cleaned_data.get("consultant_name"):
            parts.append(urlencode({"consultant_name": self.cleaned_data["consultant_name"]}))
        return "&".join(parts)


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    drop_reason_code = forms.ChoiceField(
        label=_("Why it dropped out (needed to drop)"), required=False,
        choices=[("", "—"), *DropReason.choices],
    )
    reason = forms.CharField(
        label=_("In words (needed for «Other reason»)"), required=False, max_length=2000,
        widget=forms.TextInput(),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_stage") == Stage.DROPPED:
            words = (cleaned.get("reason") or "").strip()
            # Words alone (the board's drag and drop asks for words) are an "other" reason.
            code = cleaned.get("drop_reason_code") or (DropReason.OTHER if words else "")
            problem = drop_reason_problem(code=code, words=words)
            if problem:
                self.add_error("reason" if code == DropReason.OTHER else "drop_reason_code", problem)
        return cleaned


class AssignForm(forms.Form):
    """The consultant for one MSME: only those who may serve it are offered."""

    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=None, empty_label=None)

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants


class NotInFutureMixin:
    date_field = ""

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get(self.date_field)
        if value and value > timezone.localdate():
            self.add_error(self.date_field, _("The date cannot be in the future."))
        return cleaned


class MeetingForm(NotInFutureMixin, forms.ModelForm):
    date_field = "held_on"

    class Meta:
        model = Meeting
        fields = ["held_on", "mode", "duration_minutes", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].validators.append(MinValueValidator(1))
        self.fields["duration_minutes"].widget.attrs["min"] = 1
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "due_on"]
        widgets = {"due_on": DateInput()}


class ActionDoneForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
