"""The outboxes: texts (``sms``) and emails (``email``). Every message is a row written in the
caller's transaction, handed to a send task after commit, and sent once; a periodic sweep sends
whatever was not handed over."""

from .email import (
    EMAIL_SEND,
    email_hand_over_failed,
    email_outbox_dispatch,
    email_queue,
    email_queue_many,
    email_send,
)
from .sms import (
    ALLOWED_AFTER_STOP,
    SECRET_MASK,
    SMS_SEND,
    QuestionSpec,
    SmsTo,
    backoff_seconds,
    hand_over_failed,
    is_opted_out,
    message_send,
    outbox_dispatch,
    question_open,
    questions_close,
    quiet_hours_end,
    sms_notify,
    sms_notify_many,
    sms_queue,
    sms_queue_secret,
    status_callback_url,
)

__all__ = [
    "ALLOWED_AFTER_STOP",
    "EMAIL_SEND",
    "SECRET_MASK",
    "SMS_SEND",
    "QuestionSpec",
    "SmsTo",
    "backoff_seconds",
    "email_hand_over_failed",
    "email_outbox_dispatch",
    "email_queue",
    "email_queue_many",
    "email_send",
    "hand_over_failed",
    "is_opted_out",
    "message_send",
    "outbox_dispatch",
    "question_open",
    "questions_close",
    "quiet_hours_end",
    "sms_notify",
    "sms_notify_many",
    "sms_queue",
    "sms_queue_secret",
    "status_callback_url",
]
