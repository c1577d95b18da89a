"""Fuzzy name matching for restricted-party screening. Pure Python, no ORM.

``normalise`` folds accents (NFKD), case, punctuation and legal-form suffixes
("Ltd", "GmbH", "SAS", ...); ``similarity`` is insensitive to word order: the best of a
token-sort ratio and a token-set ratio (difflib), with a Jaro-Winkler tie-break on
single-word names. Scores are in [0, 1].
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

LEGAL_SUFFIXES = frozenset(
    """ltd limited llc llp inc incorporated corp corporation co company plc gmbh ag kg ohg ug mbh
    sa sas sasu sarl sca snc eurl spa srl sl slu bv nv oy oyj ab as asa aps sro spzoo zoo kft pte pty
    kk bhd sdn jsc pjsc ooo oao zao lp the and group holding holdings""".split()  # noqa: SIM905 -- reads as a word list
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(name: str) -> str:
    """'Société Générale S.A.S.' -> 'societe generale'."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ")
    # Join dotted abbreviations first: "s.a.s." -> "sas", "g.m.b.h" -> "gmbh".
    text = re.sub(r"\b(?:[a-z]\.){2,}[a-z]?\.?", lambda m: m.group(0).replace(".", ""), text)
    tokens = [t for t in _NON_ALNUM.split(text) if t]
    kept = [t for t in tokens if t not in LEGAL_SUFFIXES]
    return " ".join(kept or tokens)


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def jaro_winkler(a: str, b: str, p: float = 0.1) -> float:
    if a == b:
        return 1.0 if a else 0.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    ma, mb = [False] * la, [False] * lb
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(lb, i + window + 1)):
            if not mb[j] and b[j] == ch:
                ma[i] = mb[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    sa = [a[i] for i in range(la) if ma[i]]
    sb = [b[j] for j in range(lb) if mb[j]]
    transpositions = sum(x != y for x, y in zip(sa, sb, strict=True)) / 2
    jaro = (matches / la + matches / lb + (matches - transpositions) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * p * (1 - jaro)


def similarity(a: str, b: str, *, normalised: bool = False) -> float:
    """Word-order-insensitive similarity of two names in [0, 1]."""
    na, nb = (a, b) if normalised else (normalise(a), normalise(b))
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ta, tb = na.split(), nb.split()
    sa, sb = set(ta), set(tb)
    sort_score = _ratio(" ".join(sorted(ta)), " ".join(sorted(tb)))
    score = sort_score
    common = sa & sb
    # Token-set ratio: only when the shared words carry the name (two words or more, or the
    # whole of a one-word name longer than 4 letters), so "Security" alone never matches.
    shorter = min(len(sa), len(sb))
    if common and (len(common) >= 2 or (shorter == 1 and len(next(iter(common))) > 4)):
        inter = " ".join(sorted(common))
        ra = " ".join([inter, *sorted(sa - common)]).strip()
        rb = " ".join([inter, *sorted(sb - common)]).strip()
        set_score = max(_ratio(inter, ra), _ratio(inter, rb), _ratio(ra, rb))
        # Penalise when the shared part is only a small share of the longer name.
        coverage = len(common) / max(len(sa), len(sb))
        score = max(score, set_score * (0.85 + 0.15 * coverage))
    if len(ta) == 1 and len(tb) == 1:
        score = max(score, jaro_winkler(na, nb) * 0.97)
    return round(min(score, 1.0), 4)


@dataclass(frozen=True)
class ListedName:
    party_id: int
    text: str  # as listed (name or alias)
    norm: str


@dataclass(frozen=True)
class Match:
    party_id: int
    candidate: str
    matched: str
    score: float


def prepare(parties: Iterable[tuple[int, str, list[str]]]) -> list[ListedName]:
    """(party id, name, aliases) -> normalised names to compare against."""
    out = []
    for pid, name, aliases in parties:
        for text in [name, *(aliases or [])]:
            norm = normalise(text)
            if norm:
                out.append(ListedName(pid, text, norm))
    return out


def best_matches(candidate: str, listed: list[ListedName], threshold: float) -> list[Match]:
    """The best match per listed party at or above ``threshold``."""
    norm = normalise(candidate)
    if not norm:
        return []
    best: dict[int, Match] = {}
    for item in listed:
        # cheap length filter before the quadratic ratio
        if min(len(norm), len(item.norm)) / max(len(norm), len(item.norm)) < 0.3 and not (
            set(norm.split()) & set(item.norm.split())
        ):
            continue
        score = similarity(norm, item.norm, normalised=True)
        if score >= threshold and (item.party_id not in best or score > best[item.party_id].score):
            best[item.party_id] = Match(item.party_id, candidate, item.text, score)
    return sorted(best.values(), key=lambda m: -m.score)
