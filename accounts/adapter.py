from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Every customisation of allauth lives here."""

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=False)
        # A new account starts in the language she was reading the site in.
        user.preferred_language = translation.get_language() or user.preferred_language
        if commit:
            user.save()
        return user
