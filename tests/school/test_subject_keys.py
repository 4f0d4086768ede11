"""Subject names map to difficulty-scale keys; every key the map produces exists on the scale."""

from datetime import date

import pytest

from planner.norms import NormLibrary
from planner.school.subject_keys import _NAMES, guess_norm_key


@pytest.mark.parametrize("name,key", [
    ("Вероятность и статистика", "probability_statistics"),
    ("Труд (технология)", "technology"),
    ("ОБЗР", "obzr"),
    ("Основы безопасности и защиты Родины", "obzr"),
    ("Иностранный язык (английский)", "foreign_language"),
    ("  Русский   язык ", "russian"),
    ("Физическая культура", "pe"),
    ("Алгебра", "algebra"),
])
def test_fop_2023_names_map_to_keys(name, key):
    assert guess_norm_key(name) == key


def test_an_unknown_name_has_no_key():
    assert guess_norm_key("Основы алгоритмизации и программирования") is None
    assert guess_norm_key("Разговоры о важном") is None


def test_every_mapped_key_is_on_the_difficulty_scale():
    scale = NormLibrary.load().in_force(date(2026, 12, 1)).get("difficulty.scale")
    on_scale = {r.selectors["subject"] for r in scale.rows}
    assert set(_NAMES.values()) <= on_scale, set(_NAMES.values()) - on_scale


def test_ukrainian_names_of_the_asc_export_map_to_keys():
    assert guess_norm_key("Українська мова") == "russian"  # the native language row of table 6.9
    assert guess_norm_key("Фізкультура ") == "pe"
    assert guess_norm_key("Історія України") == "history"
