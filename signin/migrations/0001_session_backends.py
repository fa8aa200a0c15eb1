"""Sessions name the backend that signed her in, and Django signs a session out whose backend is
no longer configured: those signed in with Django's or allauth's backend now name the
signin.backends that replace them (the same sign-in, reading her profile with her), so nobody
is signed out by the change."""

from django.db import migrations
from django.utils import timezone

BACKEND_KEY = "_auth_user_backend"  # django.contrib.auth.BACKEND_SESSION_KEY
RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "signin.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "signin.backends.AuthenticationBackend",
}


def _rename(apps, renamed: dict[str, str]) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    session_model = apps.get_model("sessions", "Session")
    store = SessionStore()
    live = session_model.objects.filter(expire_date__gt=timezone.now())
    for key, data in live.values_list("session_key", "session_data").iterator():
        decoded = store.decode(data)
        if decoded.get(BACKEND_KEY) in renamed:
            decoded[BACKEND_KEY] = renamed[decoded[BACKEND_KEY]]
            session_model.objects.filter(pk=key).update(session_data=store.encode(decoded))


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("sessions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
