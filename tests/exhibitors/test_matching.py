import pytest

from exhibition.exhibitors.matching import best_matches, jaro_winkler, normalise, prepare, similarity


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Société Générale S.A.S.", "societe generale"),
        ("ROSOBORON-EXPORT, JSC", "rosoboron export"),
        ("Müller Söhne GmbH", "muller sohne"),
        ("Ltd", "ltd"),
    ],
)
def test_normalise_folds_accents_case_and_legal_suffixes(raw, expected):
    assert normalise(raw) == expected


def test_similarity_ignores_word_order_accents_and_suffixes():
    assert similarity("Kalashnikov Concern", "Concern Kalashnikov JSC") == 1.0
    assert similarity("Société Générale SAS", "SOCIETE GENERALE") == 1.0


def test_similarity_scores_near_spellings_high_and_different_names_low():
    assert similarity("Nordic Drone AB", "Nordik Drones") >= 0.86
    assert similarity("Omega Vision SAS", "Vector Vision SA") < 0.7
    assert similarity("Aegis Systems", "Aegis Secure") < 0.86


def test_jaro_winkler_known_value():
    assert jaro_winkler("martha", "marhta") == pytest.approx(0.9611, abs=1e-4)


def test_best_matches_uses_aliases_and_threshold():
    listed = prepare([(1, "Black Falcon Arms", ["Falcon Negro Armas"]), (2, "Red Star Trading", [])])
    matches = best_matches("Armas Falcón Negro S.L.", listed, 0.86)
    assert [(m.party_id, m.matched, m.score) for m in matches] == [(1, "Falcon Negro Armas", 1.0)]
    assert best_matches("Blue Sky Optics", listed, 0.86) == []
