"""Form pieces every app uses."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (2026-12-01) whatever the language: a
    localised value ("01/12/2026") leaves the field empty, and the form then fails on save."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
