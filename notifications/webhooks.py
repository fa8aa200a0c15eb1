"""Twilio's callbacks: delivery status and inbound replies.

Both are refused with 403, changing nothing, unless ``X-Twilio-Signature`` is valid for
``PUBLIC_BASE_URL`` + the path (and query) Twilio was given. A callback repeated with the same
``I-Twilio-Idempotency-Token`` is answered and otherwise ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from .feedback import message_status_update
from .models import WebhookToken
from .replies import inbound_receive

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _signed(request: HttpRequest) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    params = {key: request.POST.get(key) for key in request.POST}
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, params, signature)


def _seen_before(request: HttpRequest) -> bool:
    """Record the idempotency token; True when it was already recorded."""
    token = request.headers.get("I-Twilio-Idempotency-Token", "")
    if not token:
        return False
    try:
        with transaction.atomic():
            WebhookToken.objects.create(token=token[:200])
    except IntegrityError:
        return True
    return False


def _error_code(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not _signed(request):
        return HttpResponseForbidden("Invalid signature.")
    with transaction.atomic():
        if not _seen_before(request):
            message_status_update(
                sid=request.POST.get("MessageSid", ""),
                provider_status=request.POST.get("MessageStatus", ""),
                error_code=_error_code(request.POST.get("ErrorCode")),
            )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if not _signed(request):
        return HttpResponseForbidden("Invalid signature.")
    with transaction.atomic():
        if not _seen_before(request):
            inbound_receive(
                sid=request.POST.get("MessageSid", ""),
                from_number=request.POST.get("From", ""),
                to_number=request.POST.get("To", ""),
                body=request.POST.get("Body", ""),
            )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
