from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aldea.core.forms import DateInput


def spec_language() -> str:
    """The instrument file's label key for the active language: es-mx → es, pt-br → pt, en → en."""
    language = (get_language() or "es").split("-")[0].lower()
    return language if language in ("es", "pt", "en") else "es"


def dimension_labels(spec: dict, language: str | None = None) -> dict[str, str]:
    """Dimension code → name in the active language, in the instrument's order."""
    language = language or spec_language()
    return {dimension["code"]: dimension["name"][language] for dimension in spec["dimensions"]}


class DiagnosticForm(forms.Form):
    """Every question of the instrument as a 0–4 radio group, labels in the active language."""

    assessed_on = forms.DateField(label=_("Date of the diagnostic"), widget=DateInput())

    def __init__(self, *args, spec: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        language = spec_language()
        choices = [(str(option["value"]), f'{option["value"]} · {option["label"][language]}') for option in spec["scale"]["options"]]
        if not self.is_bound:
            self.fields["assessed_on"].initial = timezone.localdate()
        self.groups = []
        for dimension in spec["dimensions"]:
            names = []
            for question in dimension["questions"]:
                name = self.field_name(question["code"])
                self.fields[name] = forms.TypedChoiceField(
                    label=question["text"][language], choices=choices, coerce=int, widget=forms.RadioSelect,
                    error_messages={"required": _("Answer this question.")},
                )
                names.append(name)
            self.groups.append((dimension["code"], dimension["name"][language], names))

    @staticmethod
    def field_name(question_code: str) -> str:
        return f"q_{question_code}"

    def dimensions(self):
        """(code, dimension name, bound question fields) in the instrument's order."""
        return [(code, label, [self[name] for name in names]) for code, label, names in self.groups]

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return assessed_on

    def answers(self) -> dict[str, int]:
        return {
            question["code"]: self.cleaned_data[self.field_name(question["code"])]
            for dimension in self.spec["dimensions"] for question in dimension["questions"]
        }

    def add_scoring_problems(self, problems: dict[str, str]):
        """Put each scoring problem beside its question (or on the form when it names none)."""
        for code, reason in problems.items():
            name = self.field_name(code)
            self.add_error(name if name in self.fields else None, reason)
