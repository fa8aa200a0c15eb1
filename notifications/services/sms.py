"""Writing SMS to the outbox, and sending them once.

``sms_queue`` writes the row inside the caller's transaction and hands it to the send task
after commit: a change that rolls back leaves no message. ``message_send`` re-reads the row
under a lock and moves it to ``sending`` before the provider is called, so a task that runs
twice sends once; an attempt that ended without knowing (timeout, 5xx, a killed worker) is
looked up at the provider before the text is sent again.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import (
    CharField,
    DateTimeField,
    Exists,
    PositiveSmallIntegerField,
    Q,
    Value,
)
from django.urls import reverse
from django.utils import timezone

from core.tasks import enqueue_each, enqueue_many_on_commit, enqueue_on_commit

from ..errors import HAND_OVER_PREFIX
from ..feedback import OPTED_OUT_CODE, opt_out_record
from ..models import Message, OptOut, Question
from ..sms import OutgoingSms, SmsError, backend_get
from ..texts import language_of, sms_text_render

log = logging.getLogger(__name__)
# The confirmation of STOP itself, and HELP, which carriers require to answer even then.
ALLOWED_AFTER_STOP = ("reply_stop", "reply_help")


@dataclass(frozen=True)
class QuestionSpec:
    """The text asks Y/N: ``kind`` names the registered handler, ``ref`` the object."""

    kind: str
    ref: str
    expires_at: datetime


# --- Quiet hours --------------------------------------------------------------------------


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def quiet_hours_end(now: datetime | None = None) -> datetime | None:
    """When the quiet hours that ``now`` falls in end, or None outside quiet hours."""
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    local = timezone.localtime(now, tz)
    start, end = _clock(settings.QUIET_HOURS_START), _clock(settings.QUIET_HOURS_END)
    t = local.time()
    if start == end:
        return None
    quiet = (t >= start or t < end) if start > end else (start <= t < end)
    if not quiet:
        return None
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz)


# --- Queueing -----------------------------------------------------------------------------


def is_opted_out(phone: str) -> bool:
    return OptOut.objects.filter(phone=phone).exists()


def opted_out_expression(phone) -> Exists:
    """Whether the number ``phone`` (an expression, such as ``OuterRef("phone")`` of a
    profile row) opted out: for a query that reads her profile anyway (``opt_out_known``)."""
    return Exists(OptOut.objects.filter(phone=phone))


def opt_out_known(profile, *, phone: str | None, opted_out: bool) -> None:
    """Tell ``sms_notify`` whether ``phone`` opted out, as the caller has just read it in its
    transaction (``opted_out_expression``): the next text to ``profile`` (her volunteer
    profile, this instance) while it still has that number does not ask again. Read once: a
    later text asks afresh. The send task looks the number up again before it sends."""
    profile._opt_out_read = (phone, opted_out)


def _opt_out_read(profile, phone: str) -> bool | None:
    """What ``opt_out_known`` recorded about ``phone`` (None: nothing), forgotten now."""
    known = getattr(profile, "_opt_out_read", None)
    if known is None:
        return None
    del profile._opt_out_read
    return known[1] if known[0] == phone else None


def _open_questions(phone: str):
    """Her open questions as rows ``(pk, code, kind, ref, expires_at)``, unread yet."""
    return (
        Question.objects.filter(phone=phone, closed_at__isnull=True)
        .order_by()
        .values_list("pk", "code", "kind", "ref", "expires_at")
    )


def _opted_out_and_open_questions(phone: str) -> tuple[bool, list[tuple]]:
    """Whether the number opted out, and her open questions (``_open_questions``), in one
    read: a text that asks her something needs both."""
    # The opt-out, if any, as one row more: its id and no code (a question always has one).
    opt_out = (
        OptOut.objects.filter(phone=phone)
        .order_by()
        .annotate(
            no_code=Value(None, output_field=PositiveSmallIntegerField()),
            no_kind=Value(None, output_field=CharField()),
            no_ref=Value(None, output_field=CharField()),
            no_expiry=Value(None, output_field=DateTimeField()),
        )
        .values_list("pk", "no_code", "no_kind", "no_ref", "no_expiry")
    )
    rows = list(_open_questions(phone).union(opt_out, all=True))
    questions = [row for row in rows if row[1] is not None]
    return len(questions) < len(rows), questions


def question_open(
    *, phone: str, user, spec: QuestionSpec, open_rows: list[tuple] | None = None
) -> tuple[Question, bool]:
    """Open a question (closing an earlier one about the same thing). Returns it and whether
    she has other open questions, in which case the text must carry its code. ``open_rows``:
    her open questions, when the caller has just read them (``_open_questions``)."""
    now = timezone.now()
    # Her open questions, read once: the earlier one about the same thing and those expired
    # are closed (a statement only when there are any), the codes of the others are taken.
    closing, used = [], set()
    for pk, code, kind, ref, expires_at in (
        _open_questions(phone) if open_rows is None else open_rows
    ):
        if (kind == spec.kind and ref == spec.ref) or expires_at <= now:
            closing.append(pk)
        else:
            used.add(code)
    if closing:
        Question.objects.filter(pk__in=closing, closed_at__isnull=True).update(closed_at=now)
    others = bool(used)
    for _attempt in range(5):
        try:
            # A savepoint: a code taken at the same moment elsewhere must not spoil the
            # caller's transaction; the next free code is tried instead.
            with transaction.atomic():
                question = Question.objects.create(
                    phone=phone,
                    user=user,
                    kind=spec.kind,
                    ref=spec.ref,
                    code=next(code for code in range(10, 1000) if code not in used),
                    expires_at=spec.expires_at,
                )
            return question, others
        except IntegrityError:
            others = True
            used = set(
                Question.objects.filter(phone=phone, closed_at__isnull=True)
                .order_by()
                .values_list("code", flat=True)
            )
    raise IntegrityError(f"no free question code for {phone}")


def questions_close(*, kind: str, ref: str) -> None:
    Question.objects.filter(kind=kind, ref=ref, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )


def sms_queue(
    *,
    to: str | None,
    body: str,
    kind: str,
    language: str,
    user=None,
    immediate: bool = False,
    expires_at: datetime | None = None,
    dedupe_key: str | None = None,
    question: Question | None = None,
    suppressed: str = "",
    even_if_opted_out: bool = False,
    withheld: bool = False,
    opt_out_read: bool = False,
) -> Message | None:
    """Write one text to the outbox and send it after commit.

    ``immediate``: it answers her own action just now, or is urgent; quiet hours do not hold
    it back. ``expires_at``: no use after this (a reminder after the start). ``dedupe_key``:
    a second text with the same key is not written (returns None). ``suppressed``: the caller
    already knows it must not go (e.g. SMS turned off); the row records why.
    ``opt_out_read``: the caller has looked the number up in the opt-outs already (and passed
    ``suppressed`` if it is there).
    """
    now = timezone.now()
    to = to or ""
    if dedupe_key and Message.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    message = Message(
        user=user,
        to=to,
        body=body,
        kind=kind,
        language=language_of(language),
        immediate=immediate,
        expires_at=expires_at,
        dedupe_key=dedupe_key,
        question=question,
        withheld=withheld,
    )
    if not suppressed and not to:
        suppressed = Message.Suppressed.NO_NUMBER
    if not suppressed and not even_if_opted_out and not opt_out_read and is_opted_out(to):
        suppressed = Message.Suppressed.OPT_OUT
    if not suppressed and not immediate:
        message.not_before = quiet_hours_end(now)
        if message.not_before and expires_at and message.not_before >= expires_at:
            suppressed = Message.Suppressed.QUIET_HOURS
    if suppressed:
        message.status = Message.Status.SUPPRESSED
        message.suppressed_reason = suppressed
    if not dedupe_key:
        message.save()  # nothing to collide with: no savepoint needed
    else:
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            if Message.objects.filter(dedupe_key=dedupe_key).exists():
                return None
            raise
    if message.status == Message.Status.QUEUED:
        _enqueue(message)
    return message


# --- Texts that carry a secret -------------------------------------------------------------

SECRET_MASK = "••••••"


def _secret_key(message_id: int) -> str:
    return f"notifications:sms-secret:{message_id}"


def sms_queue_secret(
    *,
    to: str,
    kind: str,
    language: str,
    values: dict,
    secrets: dict[str, str],
    expires_at: datetime,
    user=None,
) -> Message | None:
    """Queue a text that carries a secret (a sign-in code) without storing the secret.

    The outbox row keeps the text with each of ``secrets`` masked, so that nobody reading the
    outbox (coordinators, the admin, a database dump) learns it; the text that goes out waits
    in the cache, shared by all processes, until ``expires_at``. Sent at once, quiet hours or
    not. If the cache cannot take it, the row is marked failed rather than the request.
    """
    shown = sms_text_render(
        kind, language=language, values={**values, **dict.fromkeys(secrets, SECRET_MASK)}
    )
    real = sms_text_render(kind, language=language, values={**values, **secrets})
    # One transaction: the send task, queued for after commit, finds the text in the cache.
    with transaction.atomic():
        message = sms_queue(
            to=to,
            body=shown,
            kind=kind,
            language=language,
            user=user,
            immediate=True,
            expires_at=expires_at,
            withheld=True,
        )
        if message is None or message.status != Message.Status.QUEUED:
            return message
        timeout = max(1, int((expires_at - timezone.now()).total_seconds()))
        try:
            cache.set(_secret_key(message.pk), real, timeout)
        except Exception as exc:  # the cache is down: the text cannot go, the request goes on
            log.warning("SMS %s: the text could not be held for sending: %s", message.pk, exc)
            message.status = Message.Status.FAILED
            message.error_message = "The cache could not hold the text."
            message.save(update_fields=["status", "error_message", "updated_at"])
    return message


def _text_to_send(message: Message) -> str | None:
    """The text that goes out: the stored one, or for a withheld one the text held in the
    cache (None once it has expired or been sent)."""
    if not message.withheld:
        return message.body
    return cache.get(_secret_key(message.pk))


SMS_SEND = "notifications.sms_send"


def hand_over_failed(message_id: int, error: Exception) -> None:
    """The send task could not be queued, or raised in this process: the row says so, and
    stays queued for ``outbox_dispatch``. A row the task already moved on is left alone."""
    text = f"{HAND_OVER_PREFIX}{type(error).__name__}: {error}"
    try:
        Message.objects.filter(
            pk=message_id, status__in=[Message.Status.QUEUED, Message.Status.SENDING]
        ).update(error_message=text[:300], updated_at=timezone.now())
    except Exception:  # the database is what failed: the log has it
        log.exception("SMS %s: could not record that it was not handed over", message_id)


def _hand_over_many_failed(message_ids: list[int], error: Exception) -> None:
    for message_id in message_ids:
        hand_over_failed(message_id, error)


def _enqueue(message: Message) -> None:
    on_error = partial(hand_over_failed, message.pk)
    if message.not_before is None:
        enqueue_on_commit(SMS_SEND, message.pk, on_error=on_error)
    elif not settings.CELERY_TASK_ALWAYS_EAGER:
        # Held until the morning; the dispatcher sends it if this task is lost.
        enqueue_on_commit(SMS_SEND, message.pk, eta=message.not_before, on_error=on_error)


def sms_notify(
    *,
    user,
    kind: str,
    values: dict | None = None,
    immediate: bool = False,
    expires_at: datetime | None = None,
    dedupe_key: str | None = None,
    question: QuestionSpec | None = None,
    ignore_sms_enabled: bool = False,
) -> Message | None:
    """Text a person (a volunteer: her profile has the number and the SMS switch) in her own
    language. A text that must not go is still recorded, as suppressed, with the reason."""
    profile = getattr(user, "volunteer", None)
    phone = getattr(profile, "phone", None) or ""
    language = language_of(user.preferred_language)
    suppressed = ""
    if profile is not None and not profile.sms_enabled and not ignore_sms_enabled:
        suppressed = Message.Suppressed.SMS_DISABLED
    values = dict(values or {})
    asked = None
    open_rows = None
    known = _opt_out_read(profile, phone) if profile is not None and phone else None
    if phone and not suppressed:
        # Read once, here, for the question and the row; with her open questions when the text
        # asks one (and no earlier text may stand for this one). The caller may have read it.
        asking = question is not None and not dedupe_key
        if known is not None:
            opted_out = known
            if asking and not opted_out:
                open_rows = list(_open_questions(phone))
        elif asking:
            opted_out, open_rows = _opted_out_and_open_questions(phone)
        else:
            opted_out = is_opted_out(phone)
        if opted_out:
            suppressed = Message.Suppressed.OPT_OUT
    if (
        question is not None
        and phone
        and not suppressed
        and not (dedupe_key and Message.objects.filter(dedupe_key=dedupe_key).exists())
    ):
        asked, others = question_open(phone=phone, user=user, spec=question, open_rows=open_rows)
        if others:
            values["y"], values["n"] = f"Y {asked.code}", f"N {asked.code}"
    body = sms_text_render(kind, language=language, values=values)
    return sms_queue(
        to=phone,
        body=body,
        kind=kind,
        language=language,
        user=user,
        immediate=immediate,
        expires_at=expires_at,
        dedupe_key=dedupe_key,
        question=asked,
        suppressed=suppressed,
        opt_out_read=bool(phone),
    )


# --- Sending ------------------------------------------------------------------------------


def status_callback_url() -> str:
    return settings.PUBLIC_BASE_URL + reverse("twilio_status")


def backoff_seconds(attempt: int, *, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter: between half and all of base·2^(attempt-1), capped."""
    ceiling = min(
        settings.SMS_RETRY_MAX_SECONDS, settings.SMS_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    )
    delay = random.uniform(ceiling / 2, ceiling)
    if retry_after:
        delay = max(delay, retry_after)
    return delay


def _validity(message: Message, now: datetime) -> int:
    seconds = settings.SMS_VALIDITY_SECONDS
    if message.expires_at is not None:
        seconds = int((message.expires_at - now).total_seconds())
    # Twilio accepts 1 to 36000 seconds.
    return max(1, min(seconds, 36000))


def message_send(*, message_id: int) -> float | None:
    """Send one outbox message at most once. Returns seconds to wait before another attempt
    when the provider failed for a while, else None."""
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return None
        if message.status == Message.Status.SENDING:
            if message.lease_until and message.lease_until > now:
                return None  # another attempt is on it right now
        elif message.status != Message.Status.QUEUED:
            return None
        if message.not_before and message.not_before > now:
            return None
        reason = ""
        if is_opted_out(message.to) and message.kind not in ALLOWED_AFTER_STOP:
            reason = Message.Suppressed.OPT_OUT
        elif message.expires_at and message.expires_at <= now:
            reason = Message.Suppressed.EXPIRED
        text = _text_to_send(message)
        if text is None and not reason:
            reason = Message.Suppressed.EXPIRED
        if reason:
            message.status = Message.Status.SUPPRESSED
            message.suppressed_reason = reason
            message.save(update_fields=["status", "suppressed_reason", "updated_at"])
            return None
        # A message found in ``sending`` was cut off mid-call: it may have gone.
        look_first = message.lookup_needed or message.status == Message.Status.SENDING
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.last_attempt_at = now
        message.lease_until = now + timedelta(seconds=settings.SMS_LEASE_SECONDS)
        # Until the provider answers, whoever comes next must look before sending.
        message.lookup_needed = True
        message.save()
    backend = backend_get()
    try:
        found = None
        if look_first:
            # Texts of ours already matched to a provider id are not this one.
            known = frozenset(
                Message.objects.filter(
                    to=message.to, created_at__gte=message.created_at - timedelta(days=2)
                )
                .exclude(pk=message.pk)
                .exclude(provider_sid=None)
                .values_list("provider_sid", flat=True)
            )
            found = backend.lookup(
                to=message.to, body=text, since=message.created_at, exclude=known
            )
        result = found or backend.send(
            OutgoingSms(
                to=message.to,
                body=text,
                validity_seconds=_validity(message, now),
                status_callback=status_callback_url() if backend.has_callbacks else "",
                message_id=message.pk,
            )
        )
    except SmsError as error:
        return _attempt_failed(message.pk, error)
    _attempt_succeeded(message.pk, sid=result.sid, provider_status=result.status)
    if message.withheld:
        cache.delete(_secret_key(message.pk))
    return None


def _attempt_succeeded(message_id: int, *, sid: str, provider_status: str) -> None:
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        message.provider_sid = sid
        message.provider_status = message.provider_status or provider_status
        message.lookup_needed = False
        message.lease_until = None
        message.next_attempt_at = None
        message.sent_at = message.sent_at or timezone.now()
        if Message.RANK[message.status] < Message.RANK[Message.Status.SENT]:
            message.status = Message.Status.SENT
        message.save()


def _attempt_failed(message_id: int, error: SmsError) -> float | None:
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        message.error_code = error.code
        message.error_message = error.message[:300]
        message.lease_until = None
        retry_in = None
        if error.permanent or message.attempts >= settings.SMS_MAX_ATTEMPTS:
            message.status = Message.Status.FAILED
            message.lookup_needed = False
            message.next_attempt_at = None
            if error.code == OPTED_OUT_CODE:
                opt_out_record(phone=message.to, source=OptOut.Source.PROVIDER)
        else:
            retry_in = backoff_seconds(message.attempts, retry_after=error.retry_after)
            message.status = Message.Status.QUEUED
            message.lookup_needed = error.maybe_sent
            message.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        message.save()
    log.info("SMS %s attempt %s failed: %s", message_id, message.attempts, error.message)
    return retry_in


def outbox_dispatch(*, now: datetime | None = None) -> int:
    """Hand over what is due and has no task on its way: texts held by quiet hours whose
    morning has come, retries whose time has come, and attempts whose lease ran out."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=30)
    due = Message.objects.filter(
        Q(status=Message.Status.QUEUED)
        & (Q(not_before__isnull=True) | Q(not_before__lte=now))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=grace))
        & Q(created_at__lte=grace)
        | Q(status=Message.Status.SENDING, lease_until__lt=now)
    ).values_list("pk", flat=True)
    return enqueue_each(SMS_SEND, due, what="SMS", on_error=hand_over_failed)


@dataclass(frozen=True)
class SmsTo:
    """One text of ``sms_notify_many``: to ``user`` (``profile``, her volunteer profile or
    None, gives the number and the SMS switch), with ``question`` asked if any; ``immediate``
    and ``expires_at`` as for ``sms_notify``."""

    user: object
    profile: object | None
    values: dict
    question: QuestionSpec | None = None
    immediate: bool = False
    expires_at: datetime | None = None


def sms_notify_many(*, texts: list[SmsTo], kind: str) -> list[Message]:
    """``sms_notify`` for many people at once (a matcher publication), with the same rules and
    rows, in a fixed number of queries whatever their number: the opt-outs read together, the
    questions and the outbox rows written in bulk, handed to the broker in one message (two
    when some wait for the end of the quiet hours)."""
    now = timezone.now()
    rows = []
    for text in texts:
        phone = getattr(text.profile, "phone", None) or ""
        suppressed = ""
        if text.profile is not None and not text.profile.sms_enabled:
            suppressed = Message.Suppressed.SMS_DISABLED
        rows.append((text, phone, language_of(text.user.preferred_language), suppressed))
    phones = {phone for _text, phone, _language, _suppressed in rows if phone}
    opted = (
        set(OptOut.objects.filter(phone__in=phones).values_list("phone", flat=True))
        if phones
        else set()
    )
    asking = [
        (i, phone, text.user, text.question)
        for i, (text, phone, _language, suppressed) in enumerate(rows)
        if text.question is not None and phone and not suppressed and phone not in opted
    ]
    asked = _questions_open_many(asking, now=now)
    quiet_end = quiet_hours_end(now)
    messages = []
    for i, (text, phone, language, suppressed) in enumerate(rows):
        values = dict(text.values)
        question, others = asked.get(i, (None, False))
        if others:
            values["y"], values["n"] = f"Y {question.code}", f"N {question.code}"
        message = Message(
            user=text.user,
            to=phone,
            body=sms_text_render(kind, language=language, values=values),
            kind=kind,
            language=language,
            immediate=text.immediate,
            expires_at=text.expires_at,
            question=question,
        )
        if not suppressed and not phone:
            suppressed = Message.Suppressed.NO_NUMBER
        if not suppressed and phone in opted:
            suppressed = Message.Suppressed.OPT_OUT
        if not suppressed and not text.immediate:
            message.not_before = quiet_end
            if quiet_end and text.expires_at and quiet_end >= text.expires_at:
                suppressed = Message.Suppressed.QUIET_HOURS
        if suppressed:
            message.status = Message.Status.SUPPRESSED
            message.suppressed_reason = suppressed
        messages.append(message)
    Message.objects.bulk_create(messages)
    queued = [m for m in messages if m.status == Message.Status.QUEUED]
    now_ids = [m.pk for m in queued if m.not_before is None]
    held_ids = [m.pk for m in queued if m.not_before is not None]
    if now_ids:
        enqueue_many_on_commit(
            SMS_SEND,
            [((pk,), {}) for pk in now_ids],
            on_error=partial(_hand_over_many_failed, now_ids),
        )
    if held_ids and not settings.CELERY_TASK_ALWAYS_EAGER:
        # Held until the morning; the dispatcher sends them if this task is lost.
        enqueue_many_on_commit(
            SMS_SEND,
            [((pk,), {}) for pk in held_ids],
            eta=quiet_end,
            on_error=partial(_hand_over_many_failed, held_ids),
        )
    return messages


def _questions_open_many(asking: list, *, now: datetime) -> dict[int, tuple[Question, bool]]:
    """``question_open`` for each ``(key, phone, user, spec)``: by key, the question and
    whether she has other open ones. Codes taken at the same moment elsewhere make the bulk
    insert fail: then each is opened on its own, as ``question_open`` does."""
    if not asking:
        return {}
    phones = {phone for _key, phone, _user, _spec in asking}
    same = Q()
    for kind in {spec.kind for _key, _phone, _user, spec in asking}:
        refs = [spec.ref for _key, _phone, _user, spec in asking if spec.kind == kind]
        same |= Q(kind=kind, ref__in=refs)
    # Earlier questions about the same things, and those expired, in one statement.
    Question.objects.filter(
        same | Q(expires_at__lte=now), phone__in=phones, closed_at__isnull=True
    ).update(closed_at=now)
    used: dict[str, set[int]] = {phone: set() for phone in phones}
    for phone, code in Question.objects.filter(
        phone__in=phones, closed_at__isnull=True
    ).values_list("phone", "code"):
        used[phone].add(code)
    opened: dict[int, tuple[Question, bool]] = {}
    for key, phone, user, spec in asking:
        others = bool(used[phone])
        code = next(code for code in range(10, 1000) if code not in used[phone])
        used[phone].add(code)
        question = Question(
            phone=phone,
            user=user,
            kind=spec.kind,
            ref=spec.ref,
            code=code,
            expires_at=spec.expires_at,
        )
        opened[key] = (question, others)
    try:
        with transaction.atomic():
            Question.objects.bulk_create([question for question, _others in opened.values()])
    except IntegrityError:
        return {
            key: question_open(phone=phone, user=user, spec=spec)
            for key, phone, user, spec in asking
        }
    return opened
