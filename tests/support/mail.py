"""Reading the e-mail a real worker wrote with Django's file backend.

The file backend names its file after the second and the backend object's ``id()``, and
appends: two messages sent in the same second by backend objects that happened to reuse the
same address land in one file, separated by a line of 79 dashes. Count messages, not files."""

from __future__ import annotations

from pathlib import Path

SEPARATOR = "\n" + "-" * 79 + "\n"


def messages(mail_dir: Path) -> list[str]:
    """Every message in the folder, in the order the files sort."""
    found: list[str] = []
    for path in sorted(mail_dir.iterdir()):
        found.extend(m for m in path.read_text().split(SEPARATOR) if m.strip())
    return found
