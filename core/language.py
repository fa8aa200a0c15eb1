"""A signed-in person reads pages and API answers in her own language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def user_language_activate(request: HttpRequest) -> None:
    """Use her saved language unless she picked one in this browser just now.

    LocaleMiddleware has already chosen from the language cookie or the browser; her saved
    choice wins over the browser's Accept-Language, but not over the cookie that the language
    switcher sets (the switcher also saves the choice on her account).
    """
    user = getattr(request, "user", None)
    language = getattr(user, "preferred_language", "")
    if (
        user is not None
        and user.is_authenticated
        and language
        and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
    ):
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
