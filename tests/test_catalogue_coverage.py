"""Every string marked for translation (``{% translate %}``, ``{% blocktranslate %}``, gettext
in code) is in the catalogue that ``make messages`` would put it in, with its Chinese.

Django's own extraction (makemessages, which needs gettext's xgettext) runs on a copy of the
sources, as ``make messages`` does, so the committed catalogues are never rewritten. A string
added without its translation comes out of it untranslated (or fuzzy, when gettext guesses from
a similar one) and fails here, naming the file that uses it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
COPIED_IGNORING = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", "staticfiles", "node_modules", "test-artifacts", "*.mo",
    "*.sqlite3*", ".pytest_cache", ".ruff_cache", ".hypothesis",
)  # fmt: skip


def _apps_with_catalogues() -> list[str]:
    """The apps that keep their own catalogue, as the Makefile lists them."""
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^APPS_WITH_CATALOGUES := (.+)$", makefile, re.M)
    assert match, "APPS_WITH_CATALOGUES is gone from the Makefile"
    return match.group(1).split()


def _makemessages(project: Path, cwd: Path, *ignores: str) -> None:
    """``manage.py makemessages`` run from ``cwd`` (the project, or an app with its own
    catalogue), as ``make messages`` runs it."""
    args = [sys.executable, str(project / "manage.py"), "makemessages", "-l", "zh_Hans"]
    args += ["--no-obsolete", *(f"--ignore={ignore}" for ignore in ignores)]
    env = {**os.environ, "DEBUG": "yes"}
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    if not shutil.which("xgettext"):
        pytest.skip("gettext is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("sources") / "project"
    shutil.copytree(ROOT, copy, ignore=COPIED_IGNORING)
    apps = _apps_with_catalogues()
    _makemessages(copy, copy, "tests", "bench", "test-artifacts", *apps)
    for app in apps:
        if (copy / app / "locale").is_dir():
            _makemessages(copy, copy / app)
    return copy


def _catalogues() -> list[Path]:
    return sorted(
        p.relative_to(ROOT)
        for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
        if ".venv" not in p.parts
    )


@pytest.mark.parametrize("po_path", _catalogues(), ids=str)
def test_every_marked_string_is_in_its_catalogue_with_chinese(extracted, po_path):
    po = polib.pofile(str(extracted / po_path))
    missing = [
        f"{entry.msgid!r} ({', '.join(f'{f}:{n}' for f, n in entry.occurrences[:2])})"
        for entry in po
        if not entry.obsolete and (not entry.translated() or entry.fuzzy)
    ]
    assert not missing, f"add to {po_path} (with their Chinese): " + "; ".join(missing)
