"""Keys for the fields encrypted at rest (dispute narratives, party names and numbers).

``FIELD_ENCRYPTION_KEY`` holds one key or a comma-separated list: the first encrypts, every
one of them decrypts (rotation: put a new key first, re-save the rows, then drop the old one;
see the README). Without the variable, the embedded default keeps a key of its own in a file
beside the SQLite database — outside the database, made on first start and never overwritten —
and says so on the console. A machine that shares its database with others must set the
variable: each machine would otherwise make a key of its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cryptography.fernet import Fernet


def local_key(path: Path) -> str:
    """The key kept in ``path``, made (readable by its owner only) when there is none yet.

    Two processes starting at once agree on one key: the file is created exclusively and the
    loser reads the winner's.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = Fernet.generate_key().decode()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    print(
        f"FIELD_ENCRYPTION_KEY is not set: made a local key in {path} for the fields encrypted "
        "at rest. Keep that file (and a copy of it) with the database; set FIELD_ENCRYPTION_KEY "
        "when more than one machine uses the database.",
        file=sys.stderr,
    )
    return key


def field_keys(raw: str, *, local: Path) -> tuple[list[str], bool]:
    """The keys, first one encrypting, and whether they came from the local file."""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if keys:
        return keys, False
    return [local_key(local)], True
