"""An optional second factor for managers and staff: a time-based code (TOTP) from an app.

Who turns it on answers, at every log-in door (the login page, the admin, the API token
endpoint), with a code from their authenticator app after the password. django-otp keeps the
devices and throttles wrong codes (each failure doubles the wait before the next try).
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from aldea.accounts.queries import reach_of
from aldea.core.access import is_global

DEVICE_NAME = "authenticator app"


def may_use_two_factor(user) -> bool:
    """Managers of a programme and staff: the accounts that can change others' data widely."""
    return bool(user.is_authenticated and (is_global(user) or reach_of(user).manager_programme_ids))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def start_enrolment(*, user) -> TOTPDevice:
    """A new, unconfirmed device for ``user`` (an earlier unconfirmed one is replaced).

    Raises PermissionError for users who are not managers or staff.
    """
    if not may_use_two_factor(user):
        raise PermissionError("two-factor log-in is for programme managers and staff")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_enrolment(*, user, token: str) -> bool:
    """Turn the second factor on once the app's first code matches; False when it does not."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return True


def turn_off(*, user, token: str) -> bool:
    """Remove the second factor, given a current code; False when the code does not match."""
    device = confirmed_device(user)
    if device is None or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True


def check_second_factor(user, token: str) -> str | None:
    """None when ``user`` needs no code or gave a right one; else the message to show."""
    device = confirmed_device(user)
    if device is None:
        return None
    if not token or not device.verify_token(token.strip()):
        return _("Enter the current 6-digit code from your authenticator app.")
    return None


class SecondFactorMixin(forms.Form):
    """A code field for login forms; required only of users who turned the second factor on."""

    otp_token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app (if you use one)"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and (message := check_second_factor(user, cleaned.get("otp_token", ""))):
            raise ValidationError(message, code="otp")
        return cleaned


class LoginForm(SecondFactorMixin, AuthenticationForm):
    """The login page's form: user name, password and, for those who use one, the code."""
