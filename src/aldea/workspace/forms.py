"""Forms of the workspace pages."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aldea.consulting.models import Stage
from aldea.core.forms import DateInput
from aldea.enterprises.models import Enterprise, Sector
from aldea.programmes.models import BudgetLine, FinancialTransaction

ALL_GROUPS = "all"


class MsmeFilterForm(forms.Form):
    """The list's filters; an invalid value is ignored rather than failing the page."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages"), to_field_name="slug"
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    women_led = forms.ChoiceField(
        label=_("Women-led"), required=False,
        choices=[("", _("All")), ("yes", _("Women-led")), ("no", _("Not women-led"))],
    )
    # The working list by default: comparison MSMEs are measured, not served, so they are shown
    # only when asked for.
    group = forms.ChoiceField(
        label=_("Group"), required=False,
        choices=[("", _("Participants")), (Enterprise.Group.COMPARISON, _("Comparison group")), (ALL_GROUPS, _("Both"))],
    )

    def __init__(self, *args, villages: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
        self.fields["stage"].choices = [("", _("All stages")), ("none", _("No engagement")), *Stage.choices]

    @staticmethod
    def in_group(queryset: QuerySet, group: str) -> QuerySet:
        if group == ALL_GROUPS:
            return queryset
        return queryset.filter(group=group or Enterprise.Group.PARTICIPANT)

    def apply(self, queryset: QuerySet) -> QuerySet:
        """The queryset narrowed by the valid filters (expects the ``current_stage`` annotation)."""
        if not self.is_valid():
            return self.in_group(queryset, "")
        data = self.cleaned_data
        queryset = self.in_group(queryset, data["group"])
        if data["q"]:
            queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(code__icontains=data["q"]))
        if data["village"]:
            queryset = queryset.filter(village=data["village"])
        if data["sector"]:
            queryset = queryset.filter(sector=data["sector"])
        if data["stage"] == "none":
            queryset = queryset.filter(current_stage__isnull=True)
        elif data["stage"]:
            queryset = queryset.filter(current_stage=data["stage"])
        if data["women_led"]:
            queryset = queryset.filter(is_women_led=data["women_led"] == "yes")
        return queryset


class ProgrammeForm(forms.Form):
    """The programme wizard: who, where, when, and the indicators it starts from."""

    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Code"), max_length=60, required=False,
                           help_text=_("Letters, digits and hyphens; made from the name when left empty."))
    country = forms.ModelChoiceField(label=_("Country"), queryset=None, to_field_name="code")
    currency = forms.RegexField(label=_("Currency"), regex=r"^[A-Za-z]{3}$", required=False,
                                help_text=_("Three letters (ISO 4217); the country's currency when left empty."),
                                error_messages={"invalid": _("Three letters, such as MXN or BRL.")})
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    template = forms.ChoiceField(label=_("Indicators"), required=False)

    def __init__(self, *args, countries, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["template"].choices = [*templates, ("", _("None: I will add indicators myself"))]
        if templates:
            self.fields["template"].initial = templates[0][0]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        if cleaned.get("country") and not cleaned.get("currency"):
            cleaned["currency"] = cleaned["country"].currency
        return cleaned


class VillageForm(forms.Form):
    """A new village, found by its municipality's name."""

    name = forms.CharField(label=_("Village name"), max_length=150)
    municipality = forms.CharField(label=_("Municipality"), max_length=20, widget=forms.HiddenInput,
                                   error_messages={"required": _("Choose a municipality from the list.")})
    speciality = forms.CharField(label=_("Speciality"), max_length=150,
                                 help_text=_("What the community is known for: a craft, a textile, a food."))
    target_msmes = forms.IntegerField(label=_("Target MSMEs"), min_value=1, max_value=100000, initial=50)
    note = forms.CharField(label=_("Why this community"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


# The actor filter's value for changes made by a command or the worker (no user).
SYSTEM_ACTOR = 0


class TrailFilterForm(forms.Form):
    """The audit trail's filters; the choices are only what the user's own trail holds."""

    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int, empty_value=None)
    kind = forms.TypedChoiceField(label=_("Record kind"), required=False, coerce=int, empty_value=None)
    actor = forms.TypedChoiceField(label=_("Changed by"), required=False, coerce=int, empty_value=None)
    action = forms.TypedChoiceField(label=_("Change"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, programmes, kinds, actors, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("All my programmes")), *programmes]
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]
        self.fields["actor"].choices = [("", _("Everyone")), *actors]
        self.fields["action"].choices = [("", _("All changes")), *actions]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def apply(self, entries):
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data["actor"] == SYSTEM_ACTOR:
            entries = entries.filter(actor__isnull=True)
            data = {**data, "actor": None}
        lookups = {"programme_id": data["programme"], "content_type_id": data["kind"], "actor_id": data["actor"],
                   "action": data["action"], "timestamp__date__gte": data["since"], "timestamp__date__lte": data["until"]}
        return entries.filter(**{k: v for k, v in lookups.items() if v is not None})


class BudgetLineForm(forms.Form):
    """One line of the programme's budget: the service checks the rules (periods, currency)."""

    name = forms.CharField(label=_("Budget line"), max_length=150)
    kind = forms.ChoiceField(label=_("Type"), choices=BudgetLine.Kind.choices, initial=BudgetLine.Kind.ORIGINAL)
    status = forms.ChoiceField(label=_("Status"), choices=BudgetLine.Status.choices,
                               initial=BudgetLine.Status.INDICATIVE)
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput(),
                                 help_text=_("At most a year after the start."))
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2, localize=True,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3,
                               help_text=_("Three letters (ISO 4217), for example MXN."))

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()


def _amount_field():
    return forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2, localize=True,
                              widget=forms.TextInput(attrs={"inputmode": "decimal"}))


def _currency_field():
    return forms.CharField(label=_("Currency"), max_length=3, min_length=3,
                           help_text=_("Three letters (ISO 4217), for example MXN."))


class PartiesForm(forms.Form):
    """Who the money comes from and goes to (IATI provider-org and receiver-org), and its currency."""

    provider_name = forms.CharField(label=_("From (organisation)"), max_length=200, required=False)
    provider_ref = forms.CharField(label=_("From (IATI organisation identifier)"), max_length=100, required=False,
                                   help_text=_("For example MX-RFC-ABC123456XYZ; leave it empty if unknown."))
    receiver_name = forms.CharField(label=_("To (organisation)"), max_length=200, required=False)
    receiver_ref = forms.CharField(label=_("To (IATI organisation identifier)"), max_length=100, required=False)

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()


class PlannedDisbursementForm(PartiesForm):
    """Money a funder plans to pass in a period: the service checks the rules (period, currency)."""

    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput(),
                                 help_text=_("At most a year after the start."))
    amount = _amount_field()
    currency = _currency_field()

    field_order = ["period_start", "period_end", "amount", "currency", "provider_name", "provider_ref",
                   "receiver_name", "receiver_ref"]


class FinancialTransactionForm(PartiesForm):
    """Money that came in or went out on a day: the service checks the rules (type, currency)."""

    kind = forms.ChoiceField(label=_("Type"), choices=FinancialTransaction.Kind.choices)
    transacted_on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = _amount_field()
    currency = _currency_field()
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False,
                                help_text=_("The invoice, transfer or receipt number."))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    field_order = ["kind", "transacted_on", "amount", "currency", "reference", "description", "provider_name",
                   "provider_ref", "receiver_name", "receiver_ref"]


class InviteForm(forms.Form):
    """An invitation: the role and its scope, and how it reaches the person."""

    role = forms.ChoiceField(label=_("Role"))
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, required=False, to_field_name="slug",
                                     empty_label=_("The whole programme"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False,
                                          to_field_name="slug", empty_label=_("None"))
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False,
                             help_text=_("Leave it empty to print the code or hand over the link."))
    # A member without an account (enrolled from a list, say): the invitation gives them one.
    person = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, villages: QuerySet, organisations: QuerySet, people: QuerySet, **kwargs):
        from aldea.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
        self.fields["village"].queryset = villages
        self.fields["organisation"].queryset = organisations
        self.fields["person"].queryset = people


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, **kwargs):
        from aldea.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
