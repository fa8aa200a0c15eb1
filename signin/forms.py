"""allauth's forms, where a rule of ours must hold before allauth acts."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.forms import RequestLoginCodeForm as BaseRequestLoginCodeForm
from django.utils.translation import gettext as _


class RequestLoginCodeForm(BaseRequestLoginCodeForm):
    """Sign-in by a texted code is for volunteers, to a number they proved theirs.

    Anyone else's number is treated as a number without an account: the page answers the same
    ("a code is on its way") and no text goes out, so a stranger learns nothing about who holds
    a number, and a number typed in by someone else never opens an account.
    """

    def clean_phone(self) -> str:
        phone = super().clean_phone()
        user = getattr(self, "_user", None)
        if phone and user is not None and not get_adapter().may_sign_in_by_phone(user, phone):
            self._user = None
        return phone

    def clean(self):
        cleaned_data = super().clean()
        # With both sign-in methods on, allauth makes both fields optional and then fails on a
        # form with neither (a server error on an empty post): ask for the number.
        if not self.errors and not cleaned_data.get("phone") and not cleaned_data.get("email"):
            self.add_error("phone", _("Enter your mobile number or your email address."))
        return cleaned_data
