"""What sign-up asks besides allauth's own fields: her name, so that pages greet her by it.

A module of its own because allauth imports it while building its forms (it must not import
allauth.account.forms itself); the adapter's ``save_user`` stores the name.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

NAME_MAX = User._meta.get_field("name").max_length


class SignupNameForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        help_text=_("As volunteers and coordinators will see it."),
    )

    def signup(self, request, user) -> None:
        """allauth's hook after the account is saved; the adapter already stored the name."""
