"""An upload larger than the limit is refused from its declared length, before the body is
parsed: nothing of it is read, stored or imported."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db
HEADER = "email,name,phone,languages,skills,max_hours_per_week,sms_enabled,preferred_language,team"


@pytest.fixture
def big_csv(settings):
    settings.UPLOAD_MAX_BYTES = 4096
    rows = [HEADER] + [f"p{n}@example.org,Person {n},,zh,,6,yes,zh-hans," for n in range(200)]
    return lambda: SimpleUploadedFile(
        "volunteers.csv", "\n".join(rows).encode(), content_type="text/csv"
    )


def test_the_import_page_refuses_a_file_over_the_limit_unread(client, big_csv, monkeypatch):
    client.force_login(CoordinatorFactory().user)
    parsed = []
    monkeypatch.setattr(
        "django.http.request.HttpRequest._load_post_and_files",
        lambda self: parsed.append(True),
    )
    response = client.post(reverse("volunteer_import"), {"file": big_csv()})
    assert response.status_code == 200
    assert "The file is too large: send at most 0.00390625 MB." in response.content.decode()
    assert parsed == [] and not User.objects.filter(email__startswith="p1").exists()


def test_the_import_api_refuses_a_file_over_the_limit(big_csv):
    api = APIClient()
    api.force_authenticate(CoordinatorFactory().user)
    response = api.post("/api/v1/volunteers/import/", {"file": big_csv()}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is too large: send at most 0.00390625 MB."]}
    assert User.objects.count() == 1


def test_a_file_under_the_limit_is_imported(settings, client):
    client.force_login(CoordinatorFactory().user)
    body = f"{HEADER}\nmei@example.org,Mei,,zh,,6,no,zh-hans,\n".encode()
    upload = SimpleUploadedFile("v.csv", body, content_type="text/csv")
    assert client.post(reverse("volunteer_import"), {"file": upload}).status_code == 302
    assert User.objects.filter(email="mei@example.org").exists()
