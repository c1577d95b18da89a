"""Templates follow one way of marking text for translation: every `{% blocktranslate %}` is
`trimmed`, so that its msgid does not depend on how the template is indented or wrapped."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
BLOCK = re.compile(
    r"\{%\s*blocktranslate\b(?P<options>.*?)%\}(?P<text>.*?)\{%\s*endblocktranslate\s*%\}", re.S
)

# The one allowed exception: a plain-text e-mail body (templates/emails/*.txt) whose translated
# text spans lines. `trimmed` would join its lines ("Hello,\n\nYour badge..." -> "Hello, Your
# badge..."), and in a plain-text e-mail the blank line after the greeting is the layout.
UNTRIMMED_EMAIL_BODIES = {
    "emails/accreditation_badge.txt",
    "emails/exhibitors_application.txt",
    "emails/invitation.txt",
}


def _blocks() -> list[tuple[str, list[str], str]]:
    """(template, options, text) of every blocktranslate under templates/."""
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in (".html", ".txt", ".svg", ".xml"):
            name = path.relative_to(TEMPLATES).as_posix()
            found.extend((name, m["options"].split(), m["text"]) for m in BLOCK.finditer(path.read_text()))
    return found


def test_every_blocktranslate_is_trimmed():
    blocks = _blocks()
    untrimmed = sorted({name for name, options, _ in blocks if "trimmed" not in options})

    assert len(blocks) > 150  # the templates were read
    assert untrimmed == sorted(UNTRIMMED_EMAIL_BODIES)


def test_each_untrimmed_email_body_still_spans_lines():
    untrimmed = [(name, text) for name, options, text in _blocks() if "trimmed" not in options]

    assert all("\n" in text.strip() for _, text in untrimmed)
    assert len(untrimmed) == len(UNTRIMMED_EMAIL_BODIES)
