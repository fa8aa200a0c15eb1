"""Who is signed in, read with her volunteer profile: nearly every page a signed-in person opens
asks for it (her shifts, the rules, the menu), and reading it with her user row saves a query
on each of them.

Django's and allauth's backends as configured, each with ``get_user`` reading the profile in
the same query. Only that changes: signing in is theirs unchanged, and Django still checks the
session against her password (the session's hash) after ``get_user``, as before.
"""

from __future__ import annotations

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model


class _WithProfile:
    def get_user(self, user_id):
        """As ``ModelBackend.get_user``, her volunteer profile (or its absence) read with her."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("volunteer").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_WithProfile, django_backends.ModelBackend):
    pass


class AuthenticationBackend(_WithProfile, allauth_backends.AuthenticationBackend):
    pass
