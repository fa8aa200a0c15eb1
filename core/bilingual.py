"""Text kept in Chinese and in English: the reader's language, or visibly the other one.

``bilingual(zh, en)`` gives the English text to English readers when there is one; otherwise the
Chinese, marked ``untranslated`` so that a page can say so (``core/templates/_bilingual.html``)
instead of showing Chinese to an English reader without a word.
"""

from __future__ import annotations

from django.utils.translation import get_language


class Bilingual(str):
    """A str that knows whether it stands in for a missing translation."""

    untranslated: bool = False
    lang: str = "zh-Hans"


def bilingual(zh: str, en: str) -> Bilingual:
    english = (get_language() or "").startswith("en")
    if english and en:
        text = Bilingual(en)
        text.lang = "en"
        return text
    text = Bilingual(zh)
    # Only Chinese text is marked: a label someone already wrote in English reads as it is.
    text.untranslated = english and _has_chinese(zh)
    return text


def _has_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text or "")
