from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the choice is saved on the account so SMS follow it too."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        user.is_authenticated
        and language in {code for code, _name in _languages()}
        and user.preferred_language != language
    ):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response


def _languages():
    from django.conf import settings

    return settings.LANGUAGES
