"""Map a school's subject name to the norm key used by the difficulty scales (tables 6.9–6.11).

Names follow ФОП-2023 (and common Ukrainian names, for aSc exports of Ukrainian schools) («Вероятность и статистика», «Труд (технология)», «ОБЗР») and older ones (ОБЖ, «Технология»);
matching ignores case, «ё», punctuation and extra spaces, and tries the longest known prefix. Importers call
`guess_norm_key`; a subject left without a key gives an import warning.
"""

from __future__ import annotations

import re

# normalised name (or its start) -> norm key; longer entries win
_NAMES: dict[str, str] = {
    "русский язык": "russian", "русский": "russian", "родной язык": "russian", "родной русский язык": "russian",
    "литературное чтение": "literary_reading", "литературное чтение на родном языке": "literary_reading",
    "литература": "literature", "родная литература": "literature",
    "иностранный язык": "foreign_language", "английский язык": "foreign_language",
    "немецкий язык": "foreign_language", "французский язык": "foreign_language", "китайский язык": "foreign_language",
    "второй иностранный язык": "foreign_language",
    "математика": "math", "алгебра": "algebra", "геометрия": "geometry",
    "вероятность и статистика": "probability_statistics", "теория вероятностей и статистика": "probability_statistics",
    "информатика": "informatics", "информатика и икт": "informatics",
    "история": "history", "история россии": "history", "всеобщая история": "history",
    "обществознание": "social_studies", "право": "social_studies", "экономика": "economics",
    "география": "geography", "биология": "biology", "физика": "physics", "химия": "chemistry",
    "астрономия": "astronomy", "экология": "ecology",
    "окружающий мир": "world_around", "природоведение": "natural_science",
    "основы религиозных культур и светской этики": "orkse", "орксэ": "orkse",
    "основы духовно нравственной культуры народов россии": "odnknr", "однкнр": "odnknr",
    "изобразительное искусство": "fine_art", "изо": "fine_art", "музыка": "music",
    "мировая художественная культура": "world_art_culture", "мхк": "world_art_culture",
    "труд": "technology", "труд технология": "technology", "технология": "technology",
    "основы безопасности и защиты родины": "obzr", "обзр": "obzr",
    "основы безопасности жизнедеятельности": "obzr", "обж": "obzr",
    "физическая культура": "pe", "физкультура": "pe", "адаптивная физическая культура": "pe",
    "черчение": "drawing", "краеведение": "local_studies", "ритмика": "rhythmics",
    "индивидуальный проект": "individual_project",
    # Ukrainian names (aSc exports of Ukrainian schools); the native language counts as «родной язык»
    "українська мова": "russian", "українська література": "literature", "зарубіжна література": "literature",
    "англійська мова": "foreign_language", "німецька мова": "foreign_language",
    "французька мова": "foreign_language", "іноземна мова": "foreign_language", "математика": "math",
    "алгебра": "algebra", "геометрія": "geometry", "інформатика": "informatics", "історія україни": "history",
    "всесвітня історія": "history", "історія": "history", "правознавство": "social_studies",
    "географія": "geography", "біологія": "biology", "фізика": "physics", "хімія": "chemistry",
    "астрономія": "astronomy", "екологія": "ecology", "економіка": "economics",
    "природознавство": "natural_science", "фізкультура": "pe", "фізична культура": "pe",
    "музичне мистецтво": "music", "образотворче мистецтво": "fine_art", "трудове навчання": "technology",
    "технології": "technology", "захист вітчизни": "obzr", "літературне читання": "literary_reading",
    "читання": "literary_reading",
}


def normalise(name: str) -> str:
    text = name.lower().replace("ё", "е")
    text = re.sub(r"[^\w]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def guess_norm_key(name: str) -> str | None:
    """The norm key for a subject name, or None when the name is not recognised."""
    text = normalise(name)
    if text in _NAMES:
        return _NAMES[text]
    for known in sorted(_NAMES, key=len, reverse=True):
        if text.startswith(known + " "):
            return _NAMES[known]
    return None
