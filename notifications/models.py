"""The SMS and email outboxes, opt-outs, questions awaiting an answer, inbound replies,
webhook tokens.

Every SMS is a ``Message`` row written in the transaction of the change that causes it, then
sent by a task after commit. The row is the truth about that message: its status only moves
forward, and the provider's callbacks update it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# What each kind of text is, as the outbox shows it (an unknown kind shows as it is).
KIND_LABELS = {
    "confirmed": _("Sign-up confirmed"),
    "waitlisted": _("On the waitlist"),
    "promoted": _("Moved up from the waitlist"),
    "assigned": _("Assigned by a coordinator"),
    "cancelled": _("Place cancelled"),
    "slot_changed": _("Shift moved"),
    "slot_cancelled": _("Shift cancelled"),
    "reminder": _("Reminder"),
    "backfill_offer": _("Free seat offered"),
    "backfill_won": _("Free seat taken by her"),
    "backfill_taken": _("Free seat already taken"),
    "backfill_gone": _("Free seat gone"),
    "backfill_declined": _("Free seat declined"),
    "reply_coming": _("Answer: coming"),
    "reply_given_back": _("Answer: place given back"),
    "dispute_assigned": _("Case assigned"),
    "mediation_session": _("Mediation session"),
    "mediation_session_cancelled": _("Mediation session cancelled"),
    "mediation_session_party": _("Appointment for a party"),
    "mediation_session_party_cancelled": _("Appointment for a party cancelled"),
    "mediation_follow_up": _("Follow-up visit due"),
    "mediation_joint_request": _("Joint intervention request"),
    "signin_code": _("Sign-in code"),
    "reply_stop": _("Answer: texts stopped"),
    "reply_start": _("Answer: texts back on"),
    "reply_help": _("Answer: help"),
    "reply_unknown": _("Answer: not understood"),
    "reply_nothing_open": _("Answer: nothing waiting"),
    "reply_which": _("Answer: which one"),
}


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Undelivered")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")

    class Suppressed(models.TextChoices):
        OPT_OUT = "opt_out", _("Opted out (STOP)")
        QUIET_HOURS = "quiet_hours", _("Quiet hours: too late to send")
        SMS_DISABLED = "sms_disabled", _("SMS turned off in the profile")
        NO_NUMBER = "no_number", _("No mobile number")
        EXPIRED = "expired", _("Expired before it could be sent")

    # A status never moves to a lower rank: callbacks may arrive out of order.
    RANK = {
        Status.QUEUED: 0,
        Status.SENDING: 1,
        Status.SENT: 2,
        Status.DELIVERED: 3,
        Status.UNDELIVERED: 3,
        Status.FAILED: 3,
        Status.SUPPRESSED: 3,
    }
    FINAL = (Status.DELIVERED, Status.UNDELIVERED, Status.FAILED, Status.SUPPRESSED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sms_messages",
    )
    to = models.CharField(_("to"), max_length=20, db_index=True)
    # What was sent, as shown to coordinators: a secret in it (a sign-in code) is masked when
    # ``withheld`` is set, and the text that goes out is held only in the cache until it is
    # sent or expires (notifications.services.sms_queue_secret).
    body = models.TextField(_("text"))
    withheld = models.BooleanField(_("secret withheld"), default=False)
    language = models.CharField(_("language"), max_length=10)
    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    suppressed_reason = models.CharField(
        _("suppressed because"), max_length=16, choices=Suppressed.choices, blank=True
    )
    # Urgent or an answer to her own action: goes out even in quiet hours.
    immediate = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # An attempt ended without knowing whether the provider took the message (timeout, 5xx,
    # a worker killed mid-call): look it up at the provider before sending again.
    lookup_needed = models.BooleanField(default=False)
    # While ``sending``, the attempt in progress owns the message until this instant.
    lease_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the retry after a temporary failure is due (its task is already on the way).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    provider_sid = models.CharField(
        _("provider id"), max_length=64, unique=True, null=True, blank=True
    )
    provider_status = models.CharField(max_length=20, blank=True)
    error_code = models.PositiveIntegerField(_("error code"), null=True, blank=True)
    error_message = models.CharField(_("error"), max_length=300, blank=True)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    question = models.ForeignKey(
        "Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "not_before"], name="sms_status_not_before"),
        ]

    def __str__(self) -> str:
        return f"{self.to} · {self.kind_label} · {self.get_status_display()}"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


class Email(models.Model):
    """One email (a calendar invitation, a request to a partner agency), written in the
    transaction of the change that causes it and sent by a task after commit, like a text.

    Mail servers cannot be asked whether a message arrived, so an attempt cut off mid-send
    (its lease ran out) is sent again: at least once, and once unless a worker dies mid-call.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    to = models.EmailField(_("to"))
    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    # A calendar invitation: the iCalendar data and its iTIP method (REQUEST, CANCEL). The entry
    # is kept as data (``calendar.event_to_data``) when the email is queued, exactly as the
    # change left it; the iCalendar text is written from it when the email is first sent.
    ics = models.TextField(blank=True)
    event = models.JSONField(null=True, blank=True)
    method = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error_message = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_status_next")]

    def __str__(self) -> str:
        return f"{self.to} · {self.kind} · {self.status}"


class OptOut(models.Model):
    """A number that answered STOP (or that the provider reports as opted out)."""

    class Source(models.TextChoices):
        KEYWORD = "keyword", _("Replied STOP")
        PROVIDER = "provider", _("Reported by the provider")

    phone = models.CharField(_("mobile number"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    keyword = models.CharField(_("keyword"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.phone


class Question(models.Model):
    """An SMS that waits for Y or N. ``kind`` picks the handler another app registered;
    ``ref`` is that app's object id. ``code`` tells her open questions apart ("Y 48")."""

    phone = models.CharField(max_length=20, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40)
    ref = models.CharField(max_length=64)
    code = models.PositiveSmallIntegerField()
    expires_at = models.DateTimeField()
    answer = models.CharField(max_length=8, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone", "code"],
                condition=Q(closed_at__isnull=True),
                name="question_open_code_unique_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phone} #{self.code} {self.kind}:{self.ref}"


class InboundMessage(models.Model):
    provider_sid = models.CharField(max_length=64, unique=True)
    from_number = models.CharField(_("from"), max_length=20, db_index=True)
    to_number = models.CharField(_("to"), max_length=20, blank=True)
    body = models.TextField(_("text"))
    # What the text was understood as: yes, no, stop, start, help or unknown.
    understood_as = models.CharField(_("understood as"), max_length=10, blank=True)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS reply")
        verbose_name_plural = _("SMS replies")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.from_number}: {self.body[:30]}"


class WebhookToken(models.Model):
    """``I-Twilio-Idempotency-Token`` of a callback already handled: a repeat changes nothing."""

    token = models.CharField(max_length=200, unique=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token
