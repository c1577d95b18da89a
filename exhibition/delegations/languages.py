"""The languages delegations speak: stored as codes ("es, en"), shown by their names in the
reader's language ("Spanish, English", "espagnol, anglais"), chosen from a list."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf.locale import LANG_INFO
from django.utils.translation import get_language_info

from exhibition.core.countries import alphabetical

# Offered in the forms; the services also take any other language Django names (the API).
COMMON = (
    "ar",
    "de",
    "en",
    "es",
    "fa",
    "fr",
    "he",
    "hi",
    "id",
    "it",
    "ja",
    "ko",
    "ms",
    "nl",
    "pl",
    "pt",
    "ru",
    "sw",
    "th",
    "tr",
    "uk",
    "ur",
    "vi",
    "zh-hans",
)
MAX_LANGUAGES = 10


def is_language(code: str) -> bool:
    return "name" in LANG_INFO.get(code, {})


def language_name(code: str) -> str:
    """The language's name in the active language ("Spanish", "espagnol"); the code if unknown."""
    return str(get_language_info(code)["name_translated"]) if is_language(code) else code


def language_choices(first: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(code, name) of the common languages and of ``first``, by name; ``first`` in its own order
    ahead of the others."""
    first = [c for c in dict.fromkeys(first) if is_language(c)]
    rest = sorted((c for c in COMMON if c not in first), key=lambda c: alphabetical(language_name(c)))
    return [(c, language_name(c)) for c in [*first, *rest]]


def language_parts(value: str | Iterable[str] | None) -> list[str]:
    """The parts of a stored value ("es, en" -> ["es", "en"]), as given, empty ones left out."""
    parts = (value or "").split(",") if isinstance(value, str | None) else value
    return [p.strip() for p in parts if p and p.strip()]


def _by_name() -> dict[str, str]:
    """A language's English or own name (casefolded) -> its code, for text typed by hand."""
    out = {}
    for code, info in LANG_INFO.items():
        if "name" in info:
            out[alphabetical(info["name"])] = code
            out[alphabetical(info["name_local"])] = code
    return out


def normalise_languages(value: str | Iterable[str] | None) -> tuple[list[str], list[str]]:
    """(codes, unknown parts) of ``value``: each part a code ("es") or a language's English or own
    name ("Spanish", "Español"); duplicates dropped."""
    names = None
    codes, unknown = [], []
    for part in language_parts(value):
        if is_language(part.lower()):
            codes.append(part.lower())
            continue
        names = names or _by_name()
        code = names.get(alphabetical(part))
        if code:
            codes.append(code)
        else:
            unknown.append(part)
    return list(dict.fromkeys(codes)), unknown
