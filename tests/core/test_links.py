"""The addresses every page names (header, menu, footer, its styles and scripts) are worked out
once per process: they must stay what ``{% url %}`` and ``{% static %}`` say, also when the
settings they follow change."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.templatetags.static import static
from django.test import override_settings
from django.urls import get_script_prefix, reverse, set_script_prefix

from core.links import static_kept

pytestmark = pytest.mark.django_db


def render(source: str) -> str:
    return Template("{% load links static %}" + source).render(Context())


def test_the_tags_say_what_url_and_static_say():
    assert render("{% link 'home' %}|{% link 'slot_detail' 7 %}") == render(
        "{% url 'home' %}|{% url 'slot_detail' 7 %}"
    )
    assert render("{% static_kept 'css/site.css' %}") == render("{% static 'css/site.css' %}")


def test_a_static_address_follows_a_new_static_url():
    before = static_kept("css/site.css")
    assert before == static("css/site.css")
    with override_settings(STATIC_URL="/assets/"):
        assert static_kept("css/site.css") == static("css/site.css") == "/assets/css/site.css"
    assert static_kept("css/site.css") == before


def test_an_address_follows_the_prefix_the_site_is_served_under():
    assert render("{% link 'home' %}|{% link 'swagger-ui' %}") == "/|/api/docs/"
    prefix = get_script_prefix()
    set_script_prefix("/volunteers/")
    try:
        assert (
            render("{% link 'home' %}|{% link 'swagger-ui' %}")
            == "/volunteers/|/volunteers/api/docs/"
        )
    finally:
        set_script_prefix(prefix)
    assert render("{% link 'home' %}") == "/"


@pytest.mark.parametrize(
    ("language", "sign_in", "api"), [("en", "Sign in", "API"), ("zh-hans", "登录", "接口文档")]
)
def test_header_and_footer_link_where_they_did_in_either_language(client, language, sign_in, api):
    client.cookies["django_language"] = language
    page = client.get("/").content.decode()
    assert f'<a class="brand" href="{reverse("home")}">' in page
    assert f'<form action="{reverse("set_language")}" method="post" class="lang-form">' in page
    assert f'<a href="{reverse("account_login")}">{sign_in}</a>' in page
    assert f'<a href="{reverse("swagger-ui")}">{api}</a>' in page
    for path in ("img/favicon.svg", "css/site.css", "vendor/htmx-2.0.11.min.js", "js/site.js"):
        assert f'"{static(path)}"' in page
