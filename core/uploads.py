"""The size limit of uploads, checked from the request's declared length before anything reads
the body: an oversized file is refused without being parsed, stored or held in memory."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .errors import ValidationFailed


def upload_size_check(request: HttpRequest, *, field: str = "file") -> None:
    """Raise ValidationFailed naming ``field`` when the request is larger than the limit."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.UPLOAD_MAX_BYTES
    if length > limit:
        raise ValidationFailed(
            {
                field: [
                    _("The file is too large: send at most %(size)s MB.")
                    % {"size": f"{limit / 1024 / 1024:g}"}
                ]
            }
        )
