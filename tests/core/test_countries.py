from __future__ import annotations

from django.utils import translation

from exhibition.core.countries import alphabetical, countries_by_name


def test_countries_are_listed_by_the_name_the_reader_reads_with_accented_initials_in_place():
    codes = ["ZW", "AE", "DE", "", "EG", "FR", "DE"]
    with translation.override("fr"):
        names = [name for _, name in countries_by_name(codes)]
    # "Émirats" and "Égypte" are filed under E, not after "Zimbabwe"; no empty or repeated entry
    assert names == ["Allemagne", "Égypte", "Émirats arabes unis", "France", "Zimbabwe"]
    with translation.override("en"):
        assert [code for code, _ in countries_by_name(codes)] == ["EG", "FR", "DE", "AE", "ZW"]


def test_the_sort_key_ignores_case_and_accents():
    assert sorted(["espagnol", "Español", "égyptien", "Zoulou"], key=alphabetical) == [
        "égyptien",
        "espagnol",
        "Español",
        "Zoulou",
    ]
