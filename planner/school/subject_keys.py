"""Map a school's subject name to the norm key used by the difficulty scales (tables 6.9–6.11).

Names follow ФОП-2023 (and common Ukrainian names, for aSc exports of Ukrainian schools) («Вероятность и статистика», «Труд (технология)», «ОБЗР») and older ones (ОБЖ, «Технология»);
matching ignores case, «ё», punctuation and extra spaces, folds Latin look-alike letters inside Cyrillic words
(«Фiзика» with a Latin i), reads common abbreviations («Фізкульт.СЗ», «Англ. 1 кл», «Рус. яз.») and tries the
longest known prefix. Importers call `guess_norm_key` (with the school's own name → key map first); a subject left
without a key gives one import warning listing all of them.
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
    "французька мова": "foreign_language", "іноземна мова": "foreign_language",
    "геометрія": "geometry", "інформатика": "informatics", "історія україни": "history",
    "всесвітня історія": "history", "історія": "history", "правознавство": "social_studies",
    "географія": "geography", "біологія": "biology", "фізика": "physics", "хімія": "chemistry",
    "астрономія": "astronomy", "екологія": "ecology", "економіка": "economics",
    "природознавство": "natural_science", "фізкультура": "pe", "фізична культура": "pe",
    "музичне мистецтво": "music", "образотворче мистецтво": "fine_art", "трудове навчання": "technology",
    "технології": "technology", "захист вітчизни": "obzr", "літературне читання": "literary_reading",
    "читання": "literary_reading", "російська мова": "foreign_language",
    "українське читання": "literary_reading", "креслення": "drawing", "громадянська освіта": "social_studies",
    "я досліджую світ": "world_around", "людина і світ": "social_studies",
    "мистецтво": "fine_art", "художня культура": "world_art_culture",
}

# abbreviations as schools write them (normalised, the whole name or its first word(s)); longer entries win
_ABBREVIATIONS: dict[str, str] = {
    "физ ра": "pe", "физра": "pe", "физкульт": "pe", "физ культ": "pe", "фізкульт": "pe", "фіз культ": "pe",
    "рус яз": "russian", "русск яз": "russian", "укр мова": "russian", "укр яз": "russian",
    "лит ра": "literature", "литер": "literature", "лит чтение": "literary_reading", "укр літ": "literature",
    "англ": "foreign_language", "анг": "foreign_language", "нем": "foreign_language", "нім": "foreign_language",
    "франц": "foreign_language", "фр": "foreign_language", "ин яз": "foreign_language", "иностр": "foreign_language",
    "іноз": "foreign_language", "рос мова": "foreign_language",
    "матем": "math", "математ": "math", "алг": "algebra", "геом": "geometry", "информ": "informatics",
    "інформ": "informatics", "обществ": "social_studies", "геогр": "geography", "географ": "geography",
    "биол": "biology", "біол": "biology", "хим": "chemistry", "хім": "chemistry", "окр мир": "world_around",
    "изо": "fine_art", "муз": "music", "технол": "technology", "труд навч": "technology", "зах вітч": "obzr",
}

# Latin letters that look like Cyrillic ones, typed on a mixed keyboard («Фiзика», «Xимия»)
_LOOKALIKE = str.maketrans({"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к",
                            "m": "м", "t": "т", "h": "н", "b": "в", "i": "і"})
_CYRILLIC = re.compile(r"[а-яёіїєґ]")


def _fold(word: re.Match[str]) -> str:
    w: str = word.group(0)
    return w.translate(_LOOKALIKE) if _CYRILLIC.search(w) else w


def normalise(name: str) -> str:
    """Lower case, «ё» → «е», Latin look-alikes inside Cyrillic words folded, punctuation and spaces collapsed."""
    text = name.lower().replace("ё", "е").replace("’", " ").replace("'", " ")
    text = re.sub(r"\w+", _fold, text)
    text = re.sub(r"[^\w]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


_BY_LENGTH = sorted(_NAMES, key=len, reverse=True)
_ABBR_BY_LENGTH = sorted(_ABBREVIATIONS, key=len, reverse=True)


def guess_norm_key(name: str, school_map: dict[str, str] | None = None) -> str | None:
    """The norm key for a subject name, or None when the name is not recognised. `school_map` (the school's own
    subject name → key file) is consulted first, by exact and by normalised name."""
    text = normalise(name)
    if school_map:
        if name in school_map:
            return school_map[name]
        folded = {normalise(k): v for k, v in school_map.items()}
        if text in folded:
            return folded[text]
    if text in _NAMES:
        return _NAMES[text]
    for known in _BY_LENGTH:
        if text.startswith(known + " "):
            return _NAMES[known]
    for abbr in _ABBR_BY_LENGTH:
        if text == abbr or text.startswith(abbr + " "):
            return _ABBREVIATIONS[abbr]
    return None
