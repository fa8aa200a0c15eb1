"""Importing volunteers from a spreadsheet: all rows or none, errors by row and column."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from tests.factories import CoordinatorFactory, SkillFactory, TeamFactory, UserFactory
from tests.world import make_volunteer
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

HEADER = "email,name,phone,languages,skills,max_hours_per_week,sms_enabled,preferred_language,team"


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("volunteers.csv", text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def coordinator():
    SkillFactory(code="lecture", name="宣讲", name_en="Lecturing")
    return CoordinatorFactory().user


def test_good_file_imports_every_row(coordinator, api_for):
    team = TeamFactory(area=coordinator.coordinatorships.get().area, name="洋妈妈队", name_en="")
    body = "\n".join(
        [
            HEADER,
            "li.na@example.org,李娜,13812345678,zh;en,lecture,8,yes,zh-hans,洋妈妈队",
            "anna@example.org,Anna,+8613912345678,en,,4,no,en,",
        ]
    )
    response = api_for(coordinator).post(
        "/api/v1/volunteers/import/", {"file": upload(body)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 2}
    li = VolunteerProfile.objects.get(user__email="li.na@example.org")
    assert li.phone == "+8613812345678"
    assert li.languages == ["zh", "en"]
    assert li.max_hours_per_week == 8
    assert list(li.teams.all()) == [team]
    anna = VolunteerProfile.objects.get(user__email="anna@example.org")
    assert anna.sms_enabled is False
    assert anna.user.preferred_language == "en"


def test_one_bad_row_imports_nothing_and_names_row_and_column(coordinator, api_for):
    make_volunteer(phone="+8613700000000")
    body = "\n".join(
        [
            HEADER,
            "ok@example.org,好人,13812345678,zh,lecture,6,yes,zh-hans,",
            "not-an-email,坏行,12345,xx,dancing,99,maybe,fr,无此队",
            "ok@example.org,重复,13700000000,zh,,6,yes,zh-hans,",
        ]
    )
    response = api_for(coordinator).post(
        "/api/v1/volunteers/import/", {"file": upload(body)}, format="multipart"
    )
    assert response.status_code == 400
    errors = {(e["row"], e["column"]) for e in response.json()["errors"]}
    assert errors >= {
        (3, "email"),
        (3, "phone"),
        (3, "languages"),
        (3, "skills"),
        (3, "max_hours_per_week"),
        (3, "sms_enabled"),
        (3, "preferred_language"),
        (3, "team"),
        (4, "email"),
        (4, "phone"),
    }
    assert (2, "email") not in errors
    assert not User.objects.filter(email="ok@example.org").exists()
    assert VolunteerProfile.objects.count() == 1


def test_missing_column_is_reported(api_for):
    coordinator = CoordinatorFactory().user
    response = api_for(coordinator).post(
        "/api/v1/volunteers/import/",
        {"file": upload("email,phone\na@b.org,1\n")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "row": 1,
        "column": "name",
        "message": "This column is missing.",
    }


def test_only_coordinators_import(api_for):
    volunteer = make_volunteer()
    for user in (volunteer.user, UserFactory()):
        response = api_for(user).post(
            "/api/v1/volunteers/import/",
            {"file": upload(HEADER + "\nx@example.org,X,,,,,,,\n")},
            format="multipart",
        )
        assert response.status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()


def test_import_page_lists_errors_in_chinese(client, coordinator):
    coordinator.preferred_language = "zh-hans"
    coordinator.save()
    client.force_login(coordinator)
    body = HEADER + "\nbad,名字,,,,,,,\n"
    response = client.post(reverse("volunteer_import"), {"file": upload(body)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "未导入" in text
    assert "email" in text
    assert VolunteerProfile.objects.count() == 0
    assert client.get(reverse("volunteer_import") + "?template=1")["Content-Type"].startswith(
        "text/csv"
    )


def test_the_template_uploaded_unchanged_is_accepted(client, coordinator):
    SkillFactory(code="crafts", name="手工", name_en="Crafts")
    client.force_login(coordinator)
    template = client.get(reverse("volunteer_import") + "?template=1").content
    response = client.post(
        reverse("volunteer_import"),
        {"file": SimpleUploadedFile("volunteers.csv", template, content_type="text/csv")},
        follow=True,
    )
    assert "1 volunteer imported." in response.content.decode()
    wang = VolunteerProfile.objects.get(user__email="wang.fang@example.org")
    assert sorted(s.code for s in wang.skills.all()) == ["crafts", "lecture"]
    assert wang.languages == ["zh", "en"]


def test_skills_and_languages_by_their_names_in_either_language(coordinator, api_for):
    SkillFactory(code="crafts", name="手工", name_en="Crafts")
    body = "\n".join(
        [
            HEADER,
            "zhao@example.org,赵敏,13912345678,中文；英语,手工；宣讲,6,是,中文,",
            "kate@example.org,Kate,,English Japanese,crafts LECTURING,6,no,English,",
        ]
    )
    response = api_for(coordinator).post(
        "/api/v1/volunteers/import/", {"file": upload(body)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    zhao = VolunteerProfile.objects.get(user__email="zhao@example.org")
    assert zhao.languages == ["zh", "en"]
    assert sorted(s.code for s in zhao.skills.all()) == ["crafts", "lecture"]
    assert zhao.user.preferred_language == "zh-hans"
    kate = VolunteerProfile.objects.get(user__email="kate@example.org")
    assert kate.languages == ["en", "ja"]
    assert sorted(s.code for s in kate.skills.all()) == ["crafts", "lecture"]
    assert kate.user.preferred_language == "en"


def test_unknown_names_are_still_refused_with_what_was_written(coordinator, api_for):
    body = HEADER + "\nx@example.org,X,,克林贡语,跳舞,6,no,zh-hans,\n"
    response = api_for(coordinator).post(
        "/api/v1/volunteers/import/", {"file": upload(body)}, format="multipart"
    )
    assert response.status_code == 400
    messages = {e["column"]: e["message"] for e in response.json()["errors"]}
    assert messages == {
        "languages": "Unknown language: 克林贡语.",
        "skills": "Unknown skill: 跳舞.",
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["lecture", "Lecturing", "宣讲", "Japanese", "日语", "ja"]),
        ("zh-hans", ["可填写的值", "lecture", "Lecturing", "宣讲", "Japanese", "日语"]),
    ],
)
def test_the_upload_page_lists_the_accepted_values(client, coordinator, language, expected):
    coordinator.preferred_language = language
    coordinator.save()
    client.force_login(coordinator)
    text = client.get(reverse("volunteer_import")).content.decode()
    for value in expected:
        assert value in text
    assert text.index("lecture") < text.index('type="file"')
