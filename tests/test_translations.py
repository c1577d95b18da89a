"""Every string a user can read has its French: makemessages over the whole tree (in a copy
of the project, so the real catalogue is never touched) leaves nothing untranslated or fuzzy."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django import forms
from django.utils import translation

import exhibition
from exhibition.booking.models import Booking
from exhibition.delegations.forms import HostingWindowForm
from exhibition.meetings.models import Meeting
from tests.conftest import require_services

REPO = Path(__file__).resolve().parents[1]


def _entries(po_text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry; a plural entry counts by its first form."""
    out, msgid, msgstr, fuzzy, field = [], None, None, False, None
    for line in [*po_text.splitlines(), ""]:
        if not line.strip():
            if msgid:
                out.append((msgid, msgstr or "", fuzzy))
            msgid, msgstr, fuzzy, field = None, None, False, None
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("msgid "):
            msgid, field = line[7:-1], "id"
        elif line.startswith(("msgstr ", "msgstr[0] ")):
            msgstr, field = line.split(" ", 1)[1][1:-1], "str"
        elif line.startswith('"') and field == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and field == "str" and msgstr is not None:
            msgstr += line[1:-1]
    return out


def test_every_string_has_its_french(tmp_path):
    if not shutil.which("xgettext"):
        require_services("GNU gettext (apt-get install gettext)")
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("exhibition", "templates"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(REPO / "manage.py", copy / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "exhibition.settings", "DEBUG": "1"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    entries = _entries((copy / "exhibition/locale/fr/LC_MESSAGES/django.po").read_text())
    assert len(entries) > 1000  # the whole catalogue was read
    missing = [(msgid, fuzzy) for msgid, msgstr, fuzzy in entries if msgid and (not msgstr or fuzzy)]
    assert missing == [], (
        f"{len(missing)} strings without French (run makemessages -l fr and translate): {missing[:20]}"
    )


def _translations(po_text: str) -> list[str]:
    """Every msgstr of the catalogue (each plural form), its continuation lines joined; the
    header (the msgstr of the empty msgid) left out."""
    out: list[str] = []
    field = None
    for line in po_text.splitlines():
        if line.startswith("msgstr"):
            out.append(line.split(" ", 1)[1][1:-1])
            field = "str"
        elif line.startswith("msgid"):
            field = "id"
        elif line.startswith('"') and field == "str":
            out[-1] += line[1:-1]
    return out[1:]


def test_french_punctuation_keeps_its_space_on_the_same_line():
    # "Statut : ouvert": French puts a space before : ; ? ! » and after «. A plain space lets a
    # narrow column start a line with the colon; the catalogue uses one that never breaks.
    po = (REPO / "exhibition/locale/fr/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    texts = _translations(po)
    assert len(texts) > 1000
    loose = [t for t in texts if re.search(r" [:;?!»]|« ", t)]
    assert loose == [], f"{len(loose)} French strings with a breaking space by their punctuation: {loose[:5]}"


def _form_classes():
    """Every form class the apps declare (their forms modules), with its declared fields."""
    for module_info in pkgutil.walk_packages(exhibition.__path__, "exhibition."):
        if module_info.name.rsplit(".", 1)[-1] != "forms":
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                yield value


def test_no_form_gives_two_fields_the_same_french_label():
    """A word with two meanings in English gets two French words: the lead form's "Note" and
    "Rating" were both "Note", the hosting window's "From" (a time) read "Émetteur"."""
    classes = list(_form_classes())
    assert len(classes) > 40
    clashes = []
    for form_class in classes:
        fields = form_class.base_fields
        english = {name: str(f.label) for name, f in fields.items() if f.label}
        with translation.override("fr"):
            french = {name: str(fields[name].label) for name in english}
        clashes.extend(
            (form_class.__name__, english[a], english[b], french[a])
            for a in english
            for b in english
            if a < b and english[a] != english[b] and french[a] == french[b]
        )
    assert clashes == []


def test_words_with_two_meanings_read_right_in_french():
    with translation.override("fr"):
        assert Meeting.Status.HELD.label == "Tenu"  # a meeting that took place
        assert Booking.Status.HELD.label == "En option"  # a stand held for a company
        form = HostingWindowForm
        assert (str(form.base_fields["start"].label), str(form.base_fields["end"].label)) == (
            "À partir de",
            "Jusqu'à",
        )
