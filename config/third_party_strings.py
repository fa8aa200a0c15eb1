"""Strings that Django's admin and allauth's two-step sign-in show but leave untranslated in
Chinese. Listed here so that `make messages` keeps them in the project's catalogue, which Django
consults before the libraries' own."""

from django.utils.translation import gettext_noop

THIRD_PARTY_STRINGS = (
    # django/contrib/admin/templates/admin/app_list.html (table headings for screen readers)
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # allauth/mfa (the page listing a person's second factors)
    gettext_noop("Authenticators"),
)
