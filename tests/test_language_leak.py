"""Every page of every role's journey reads in one language.

In English, no Chinese outside what people typed (names, narratives; ``tests.journeys.user_data``)
and outside elements that say they are in another language (``lang="zh-Hans"``, as the language
switcher's "简体中文"). In Chinese, no English sentence of the interface: no text that is an
English msgid of the catalogues, and no run of English words outside what people typed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
import time_machine
from django.conf import settings
from django.test import Client

from tests.journeys import CODE, LANDMARKS, NOW, ROLES, build_cast, pages_of, user_data

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# Two English words or more in a row ("Sign up", "Back to shifts").
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?:[ '’-]+[A-Za-z]{2,})+")
# Names of things that are written in Latin letters in Chinese too.
LATIN_IN_CHINESE = {"API", "SMS", "CSV", "QR", "PIPL", "iCal", "ID", "OpenAPI", "Django"}
# allauth's Authenticator model has no translatable name: the admin shows it as it is.
UNTRANSLATABLE = {"Authenticators"}
# Attributes a person reads (or hears from a screen reader).
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description")
# Scripts are not read; a textarea holds what someone typed; code is literal (a CSV's columns).
SKIPPED_TAGS = {"script", "style", "template", "textarea", "code", "kbd", "samp"}
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _Reader(HTMLParser):
    """The text a person reads on a page, without elements in another language than the page's."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = (attrs.get("lang") or "").lower()
            return
        lang = (attrs.get("lang") or "").lower()
        other = bool(lang) and lang.split("-")[0] != self.page_lang.split("-")[0]
        skipped = tag in SKIPPED_TAGS or other
        if not skipped and not self._skipping():
            for name in READ_ATTRIBUTES:
                if attrs.get(name):
                    self.texts.append(attrs[name])
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID_TAGS:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if data.strip() and not self._skipping():
            self.texts.append(" ".join(data.split()))


def texts_of(html: str) -> tuple[str, list[str]]:
    reader = _Reader()
    reader.feed(html)
    return reader.page_lang, reader.texts


def _typed(language: str) -> list[str]:
    """What people typed, and each language's own name (the switcher's "English", "简体中文"),
    longest first so that a name is removed before a part of it. The admin edits both
    languages of a name side by side: there, both are typed text."""
    names = {str(name) for _, name in settings.LANGUAGES}
    return sorted(user_data(language) | names, key=len, reverse=True)


def _typed_both() -> list[str]:
    return sorted(set(_typed("en")) | set(_typed("zh")), key=len, reverse=True)


def _without(text: str, typed: list[str]) -> str:
    for value in typed:
        if value in text:
            text = text.replace(value, " ")
    return text


def _english_msgids() -> set[str]:
    """The interface's English sentences whose Chinese differs (the catalogues of the project)."""
    msgids = set()
    for po_path in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"):
        if ".venv" in po_path.parts:
            continue
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and entry.msgstr != entry.msgid and "%" not in entry.msgid:
                msgids.add(entry.msgid)
    return msgids


def english_leaks(texts: list[str], typed: list[str]) -> list[str]:
    return [text for text in texts if CJK.search(_without(text, typed))]


def chinese_leaks(texts: list[str], typed: list[str], msgids: set[str]) -> list[str]:
    leaks = []
    typed_texts = set(typed)
    for text in texts:
        if text in UNTRANSLATABLE or text in typed_texts:
            continue
        if text in msgids:
            leaks.append(text)
            continue
        rest = _without(text, typed)
        for words in ENGLISH_WORDS.findall(rest):
            if not set(re.split(r"[ '’-]+", words)) <= LATIN_IN_CHINESE:
                leaks.append(text)
                break
    return leaks


def code_leaks(texts: list[str], typed: list[str]) -> list[str]:
    """Texts with a code in them that is not part of something typed ("assigned" typed
    somewhere must not hide "dispute_assigned")."""
    leaks = []
    for text in texts:
        for code in CODE.findall(text):
            if not any(code in value and value in text for value in typed):
                leaks.append(text)
                break
    return leaks


def _client(user, language: str) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def cast(db):
    with time_machine.travel(NOW, tick=False):
        yield build_cast()


@pytest.mark.parametrize("role", ROLES)
def test_each_page_reads_in_one_language(cast, role):
    """Her pages in English (found by following her links), then the same pages in Chinese."""
    with time_machine.travel(NOW, tick=False):
        english: dict[str, str] = {}
        pages = pages_of(_client(cast.people[role], "en"), html=english)
        chinese_client = _client(cast.people[role], "zh-hans")
        chinese = {path: chinese_client.get(path).content.decode() for path in pages}
        typed_en, typed_zh, typed_in_admin = _typed("en"), _typed("zh"), _typed_both()
    assert LANDMARKS[role] <= set(pages), pages
    msgids = _english_msgids()
    found = {}
    for path in pages:
        lang, texts = texts_of(english[path])
        assert lang == "en", path
        if leaks := english_leaks(texts, typed_en):
            found[f"en {path}"] = leaks
        lang, texts = texts_of(chinese[path])
        assert lang == "zh-hans", path
        typed = typed_in_admin if path.startswith("/admin/") else typed_zh
        if leaks := chinese_leaks(texts, typed, msgids):
            found[f"zh {path}"] = leaks
    assert not found, "\n".join(f"{p}: {v}" for p, v in found.items())


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_code_for_words(cast, role):
    """A kind, a status, a language: in words, in either language ("dispute_assigned" is not)."""
    with time_machine.travel(NOW, tick=False):
        html: dict[str, str] = {}
        pages = pages_of(_client(cast.people[role], "zh-hans"), html=html)
        typed = _typed_both()
    found = {}
    for path in pages:
        if leaks := code_leaks(texts_of(html[path])[1], typed):
            found[path] = leaks
    assert not found, "\n".join(f"{p}: {v}" for p, v in found.items())


def test_the_reader_sees_what_a_person_reads():
    """The checks themselves: a leak in text, in an attribute, and text marked as another
    language and a typed text (which are no leaks)."""
    lang, texts = texts_of(
        '<html lang="en"><head><title>Shifts</title><script>var x = "班次";</script></head>'
        '<body><button aria-label="关闭">x</button><p>Hello 王小红</p>'
        '<select><option lang="zh-Hans">简体中文</option></select><p>未知</p>'
        "<textarea>我的笔记</textarea></body></html>"
    )
    assert lang == "en"
    assert english_leaks(texts, ["王小红"]) == ["关闭", "未知"]
    assert code_leaks(["类型 dispute_assigned", "王小红 sms_enabled"], ["王小红 sms_enabled"]) == [
        "类型 dispute_assigned"
    ]
    assert chinese_leaks(["您好 Back to shifts", "通过 SMS 发送", "Menu"], [], {"Menu"}) == [
        "您好 Back to shifts",
        "Menu",
    ]
