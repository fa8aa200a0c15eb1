"""Answers by SMS: keywords, and Y/N routed to whoever asked the question.

Other apps register a handler per question kind (``reply_handler_register``); this module knows
nothing of what the questions are about. A handler runs in her language, inside the transaction
that records the reply, and returns the text to answer her with.

Keywords: Y / 确认 (yes), N / 取消 (no), STOP and Twilio's other opt-out words / 退订, START /
UNSTOP / YES (Twilio treats YES as opting back in, so it is not an answer here) / 订阅, HELP /
INFO / 帮助. "Y 48" answers question 48 when several are open.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from core.errors import DomainError
from volunteers.models import VolunteerProfile

from .feedback import opt_out_record, opt_out_remove
from .models import InboundMessage, Message, OptOut, Question
from .services import sms_queue
from .texts import language_of, sms_text_render

YES, NO, STOP, START, HELP, UNKNOWN = "yes", "no", "stop", "start", "help", "unknown"

KEYWORDS = {
    "STOP": STOP,
    "STOPALL": STOP,
    "UNSUBSCRIBE": STOP,
    "CANCEL": STOP,
    "END": STOP,
    "QUIT": STOP,
    "退订": STOP,
    "START": START,
    "UNSTOP": START,
    "YES": START,
    "订阅": START,
    "HELP": HELP,
    "INFO": HELP,
    "帮助": HELP,
}
_ANSWER = re.compile(r"^(Y|N|确认|取消)\s*#?\s*(\d{1,3})?$")
_ANSWERS = {"Y": YES, "确认": YES, "N": NO, "取消": NO}

# kind → handler(question=, answer=, user=) -> reply text
Handler = Callable[..., str]
_handlers: dict[str, Handler] = {}
# kind → label(question) -> a few words naming what the question is about
_labels: dict[str, Callable[[Question], str]] = {}


def reply_handler_register(
    kind: str, handler: Handler, *, label: Callable[[Question], str] | None = None
) -> None:
    _handlers[kind] = handler
    if label is not None:
        _labels[kind] = label


def parse(body: str) -> tuple[str, int | None]:
    """What a reply means, and the question code it names."""
    text = unicodedata.normalize("NFKC", body).strip().upper()
    text = text.strip(" .!。！,，")
    match = _ANSWER.match(text)
    if match:
        code = match.group(2)
        return _ANSWERS[match.group(1)], int(code) if code else None
    return KEYWORDS.get(text, UNKNOWN), None


def _reply(*, phone: str, user, language: str, kind: str, values: dict | None = None) -> None:
    """Answer her at once (she just wrote), within a per-number hourly limit."""
    recent = Message.objects.filter(
        to=phone, kind__startswith="reply_", created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= settings.SMS_REPLIES_PER_NUMBER_PER_HOUR:
        return
    sms_queue(
        to=phone,
        body=sms_text_render(kind, language=language, values=values),
        kind=kind,
        language=language,
        user=user,
        immediate=True,
        even_if_opted_out=kind in ("reply_stop", "reply_help"),
    )


def _reply_text(*, phone: str, user, language: str, text: str, kind: str) -> None:
    sms_queue(to=phone, body=text, kind=kind, language=language, user=user, immediate=True)


def inbound_receive(*, sid: str, from_number: str, to_number: str, body: str) -> InboundMessage:
    """Record a reply and act on it; a repeat of the same provider message changes nothing."""
    existing = InboundMessage.objects.filter(provider_sid=sid).first()
    if existing is not None:
        return existing
    meaning, code = parse(body)
    profile = (
        VolunteerProfile.objects.select_related("user").filter(phone=from_number).first()
        if from_number
        else None
    )
    user = profile.user if profile else None
    language = language_of(user.preferred_language if user else None)
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                provider_sid=sid,
                from_number=from_number,
                to_number=to_number,
                body=body[:1600],
                understood_as=meaning,
            )
            with translation.override(language):
                _act(inbound, meaning=meaning, code=code, user=user, language=language)
    except IntegrityError:
        return InboundMessage.objects.get(provider_sid=sid)
    return inbound


def _act(inbound: InboundMessage, *, meaning: str, code: int | None, user, language: str):
    phone = inbound.from_number
    if meaning == STOP:
        opt_out_record(phone=phone, source=OptOut.Source.KEYWORD, keyword=inbound.body[:20])
        _reply(phone=phone, user=user, language=language, kind="reply_stop")
        return
    if meaning == START:
        opt_out_remove(phone=phone)
        _reply(phone=phone, user=user, language=language, kind="reply_start")
        return
    if meaning == HELP:
        _reply(
            phone=phone,
            user=user,
            language=language,
            kind="reply_help",
            values={"contact": settings.COORDINATOR_CONTACT},
        )
        return
    if user is None:
        return  # a number we do not know: no automatic answers to strangers
    if meaning == UNKNOWN:
        _reply(phone=phone, user=user, language=language, kind="reply_unknown")
        return
    now = timezone.now()
    open_questions = list(
        Question.objects.select_for_update()
        .filter(phone=phone, closed_at__isnull=True, expires_at__gt=now)
        .order_by("created_at", "pk")
    )
    chosen = open_questions if code is None else [q for q in open_questions if q.code == code]
    if not chosen:
        if open_questions:
            _which(phone=phone, user=user, language=language, questions=open_questions)
        else:
            _reply(phone=phone, user=user, language=language, kind="reply_nothing_open")
        return
    if len(chosen) > 1:
        _which(phone=phone, user=user, language=language, questions=chosen)
        return
    question = chosen[0]
    question.answer = meaning
    question.closed_at = now
    question.save(update_fields=["answer", "closed_at"])
    inbound.question = question
    inbound.save(update_fields=["question"])
    handler = _handlers.get(question.kind)
    if handler is None:
        return
    try:
        with transaction.atomic():
            text = handler(question=question, answer=meaning, user=user)
    except DomainError as error:
        text = error.message
    if text:
        _reply_text(phone=phone, user=user, language=language, text=text, kind="reply_answer")


def _which(*, phone: str, user, language: str, questions: list[Question]) -> None:
    parts = []
    for question in questions:
        label = _labels.get(question.kind)
        name = label(question) if label else ""
        parts.append(f"Y {question.code} ({name})" if name else f"Y {question.code}")
    _reply(
        phone=phone,
        user=user,
        language=language,
        kind="reply_which",
        values={"choices": "; ".join(parts)},
    )
