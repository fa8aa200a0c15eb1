"""``manage.py api_token EMAIL [--days N]``: a new API token for an operator's script.

Prints the token and nothing else, so that ``TOKEN=$(python manage.py api_token …)`` works.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Print a new API token for the account with this email (and nothing else)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--days", type=int, default=None, help="How long it lasts (API_TOKEN_TTL_DAYS)."
        )

    def handle(self, *args, email: str, days: int | None, **options) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active account with the email {email}.")
        _row, token = api_token_create(user=user, days=days)
        self.stdout.write(token)
