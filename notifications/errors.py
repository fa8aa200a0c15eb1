"""Provider error codes, in words a coordinator can act on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REASONS = {
    20003: _("The Twilio credentials were refused: check the account settings."),
    20429: _("Twilio asked us to slow down; the text was retried."),
    21211: _("This is not a valid mobile number: correct it in the volunteer's profile."),
    21408: _("Sending to this country or region is not enabled in the Twilio account."),
    21606: _("The sender number cannot send SMS."),
    21610: _("This person replied STOP: nothing more is sent until she replies START."),
    21612: _("The network cannot route texts to this number."),
    21614: _("This number is not a mobile phone."),
    21617: _("The text was too long."),
    30001: _("Twilio's queue was full; the text was dropped."),
    30003: _("The phone is switched off or out of reach."),
    30004: _("The person's network blocked the text."),
    30005: _("The number is unknown or no longer in use."),
    30006: _("A landline, or a network that does not take texts."),
    30007: _("The network filtered the text as unwanted."),
    30008: _("The network gave no reason for not delivering it."),
}


# ``error_message`` of a text whose send task could not be queued (or raised in-process).
HAND_OVER_PREFIX = "hand-over: "


def error_reason(code: int | None, message: str = "") -> str:
    if code is None and message.startswith(HAND_OVER_PREFIX):
        return str(
            _("Not handed to the sender yet (%(error)s); the outbox sweep sends it.")
            % {"error": message[len(HAND_OVER_PREFIX) :]}
        )
    if code is None:
        return message
    reason = REASONS.get(code)
    if reason is not None:
        return str(reason)
    if code >= 500 and code < 600:
        return str(_("The provider had a fault; the text was retried."))
    return message or str(_("Error %(code)s at the provider.") % {"code": code})
