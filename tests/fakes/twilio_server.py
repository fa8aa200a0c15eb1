"""A small fake of Twilio's Messages API on loopback, for the real twilio client to talk to.

It answers ``POST /2010-04-01/Accounts/{sid}/Messages.json`` (form-encoded, as the client sends
it), ``GET …/Messages.json`` (with the ``To`` and ``DateSent>`` filters) and
``GET …/Messages/{sid}.json`` with Twilio's JSON shapes and error bodies. Failure modes are set
per number: 21211 (invalid number), 21610 (opted out), 429, 500, and ``timeout`` (the message is
accepted and recorded, but the answer comes too late for the client). It builds status
callbacks signed the way Twilio signs them, and can post them.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from twilio.request_validator import RequestValidator

ERRORS = {
    "21211": (400, 21211, "The 'To' number {to} is not a valid phone number."),
    "21610": (400, 21610, "Attempt to send to unsubscribed recipient"),
    "429": (429, 20429, "Too Many Requests"),
    "500": (500, 20500, "Internal Server Error"),
}


@dataclass
class SignedCallback:
    url: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeTwilio:
    account_sid: str = "AC" + "0" * 32
    auth_token: str = "fake-auth-token"
    # Seconds a ``timeout`` answer is held back (longer than the client waits).
    timeout_delay: float = 3.0
    messages: dict[str, dict] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    create_requests: Counter = field(default_factory=Counter)
    failures: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- control -------------------------------------------------------------------------

    def fail(self, number: str, mode: str, times: int = 1) -> None:
        """The next ``times`` sends to ``number`` fail with ``mode``."""
        with self.lock:
            self.failures[number].extend([mode] * times)

    def sent_to(self, number: str) -> int:
        """Messages accepted for ``number`` (what a phone would receive)."""
        with self.lock:
            return sum(1 for m in self.messages.values() if m["to"] == number)

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(m["to"] for m in self.messages.values())

    def last(self, number: str | None = None) -> dict:
        with self.lock:
            for sid in reversed(self.order):
                if number is None or self.messages[sid]["to"] == number:
                    return dict(self.messages[sid])
        raise LookupError(number)

    def status_callback(
        self, sid: str, status: str, *, error_code: int | None = None, token: str | None = None
    ) -> SignedCallback:
        """The request Twilio would send to the message's StatusCallback, signed."""
        message = self.messages[sid]
        params = {
            "AccountSid": self.account_sid,
            "MessageSid": sid,
            "SmsSid": sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "To": message["to"],
            "From": message["from"] or "",
            "ApiVersion": "2010-04-01",
        }
        if error_code:
            params["ErrorCode"] = str(error_code)
        return self.signed(message["status_callback"], params, token=token)

    def inbound(self, url: str, *, from_: str, body: str, to: str = "+15005550006"):
        params = {
            "AccountSid": self.account_sid,
            "MessageSid": "SM" + secrets.token_hex(16),
            "SmsMessageSid": "",
            "From": from_,
            "To": to,
            "Body": body,
            "NumMedia": "0",
            "ApiVersion": "2010-04-01",
        }
        params["SmsMessageSid"] = params["MessageSid"]
        return self.signed(url, params)

    def signed(self, url: str, params: dict, *, token: str | None = None) -> SignedCallback:
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        headers = {
            "X-Twilio-Signature": signature,
            "I-Twilio-Idempotency-Token": token or secrets.token_hex(16),
        }
        return SignedCallback(url=url, params=params, headers=headers)

    @staticmethod
    def post(callback: SignedCallback, *, url: str | None = None) -> int:
        """Post a callback over HTTP (to ``url`` if the public URL is not reachable here)."""
        data = urllib.parse.urlencode(callback.params).encode()
        request = urllib.request.Request(url or callback.url, data=data, method="POST")
        for key, value in callback.headers.items():
            request.add_header(key, value)
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    # --- API -----------------------------------------------------------------------------

    def _shape(self, m: dict) -> dict:
        base = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{m['sid']}"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": m["body"],
            "date_created": format_datetime(m["created"], usegmt=True),
            "date_sent": format_datetime(m["created"], usegmt=True),
            "date_updated": format_datetime(m["created"], usegmt=True),
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": m["from"],
            "messaging_service_sid": m["messaging_service_sid"],
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": m["sid"],
            "status": m["status"],
            "subresource_uris": {"media": base + "/Media.json"},
            "to": m["to"],
            "uri": base + ".json",
        }

    def create(self, form: dict[str, str]) -> tuple[int, dict, float]:
        to = form.get("To", "")
        with self.lock:
            self.create_requests[to] += 1
            mode = self.failures[to].popleft() if self.failures.get(to) else None
        if mode in ERRORS:
            status, code, text = ERRORS[mode]
            return status, _error(status, code, text.format(to=to)), 0.0
        sid = "SM" + secrets.token_hex(16)
        message = {
            "sid": sid,
            "to": to,
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form.get("Body", ""),
            "status": "accepted" if form.get("MessagingServiceSid") else "queued",
            "status_callback": form.get("StatusCallback", ""),
            "validity_period": int(form["ValidityPeriod"]) if form.get("ValidityPeriod") else None,
            "created": datetime.now(UTC).replace(microsecond=0),
        }
        with self.lock:
            self.messages[sid] = message
            self.order.append(sid)
        delay = self.timeout_delay if mode == "timeout" else 0.0
        return 201, self._shape(message), delay

    def list(self, query: dict[str, list[str]]) -> dict:
        to = query.get("To", [None])[0]
        after = query.get("DateSent>", [None])[0]
        since = _parse_time(after) if after else None
        with self.lock:
            found = [
                self._shape(self.messages[sid])
                for sid in reversed(self.order)
                if (to is None or self.messages[sid]["to"] == to)
                and (since is None or self.messages[sid]["created"] >= since)
            ]
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        return {
            "messages": found,
            "end": max(len(found) - 1, 0),
            "first_page_uri": uri + "?PageSize=50&Page=0",
            "next_page_uri": None,
            "page": 0,
            "page_size": 50,
            "previous_page_uri": None,
            "start": 0,
            "uri": uri,
        }


def _error(status: int, code: int, message: str) -> dict:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _parse_time(value: str) -> datetime:
    if "T" in value:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)


def _handler(fake: FakeTwilio):
    prefix = f"/2010-04-01/Accounts/{fake.account_sid}/Messages"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet in tests
            pass

        def _send(self, status: int, payload: dict, delay: float = 0.0) -> None:
            if delay:
                time.sleep(delay)
            body = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _authorised(self) -> bool:
            import base64

            header = self.headers.get("Authorization", "")
            expected = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
            if header == f"Basic {expected}":
                return True
            self._send(401, _error(401, 20003, "Authenticate"))
            return False

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if len(raw) < length:
                # The client went away mid-request (a killed worker): like Twilio, take nothing.
                self.close_connection = True
                return
            raw = raw.decode()
            if not self._authorised():
                return
            path = urllib.parse.urlparse(self.path).path
            if path != prefix + ".json":
                self._send(404, _error(404, 20404, "Not found"))
                return
            form = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
            status, payload, delay = fake.create(form)
            self._send(status, payload, delay)

        def do_GET(self) -> None:
            if not self._authorised():
                return
            parsed = urllib.parse.urlparse(self.path)
            if parsed.path == prefix + ".json":
                self._send(200, fake.list(urllib.parse.parse_qs(parsed.query)))
                return
            if parsed.path.startswith(prefix + "/") and parsed.path.endswith(".json"):
                sid = parsed.path[len(prefix) + 1 : -len(".json")]
                message = fake.messages.get(sid)
                if message is not None:
                    self._send(200, fake._shape(message))
                    return
            self._send(404, _error(404, 20404, "The requested resource was not found"))

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client that gave up (a timeout, a killed worker) is part of what is tested.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeTwilioServer:
    """``with FakeTwilioServer() as server:`` → ``server.base_url``, ``server.fake``."""

    def __init__(self, **kwargs) -> None:
        self.fake = FakeTwilio(**kwargs)
        self.httpd = _Server(("127.0.0.1", 0), _handler(self.fake))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeTwilioServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
