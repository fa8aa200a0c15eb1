from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .services import user_update


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the choice is saved on the account so SMS follow it too."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in {code for code, _name in settings.LANGUAGES}:
        user_update(user=request.user, preferred_language=language)
    return response
