from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    """How people sign in: allauth's adapter (email and password, or a volunteer's mobile
    number and an SMS code), API tokens, and who is signed in. It sits above volunteers and
    notifications, which it uses; the user model and its services stay low, in accounts."""

    name = "signin"
    verbose_name = _("Sign-in")
