"""The status of the norm sets for people: what is in force on a date, which binding act lapses soon or has lapsed
without a successor (the `planner norms` commands and the page banner share these functions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.norms import NormLibrary, NormSet, ru_date

LAPSE_WINDOW_DAYS = 60  # the banner and `planner norms check` warn this many days before a lapse


@dataclass(frozen=True)
class LapseAlert:
    act: str
    valid_until: date
    days_left: int  # negative or zero: the act has already ceased to apply
    source: str = ""  # where the end date comes from

    @property
    def lapsed(self) -> bool:
        return self.days_left <= 0

    def text(self, lang: str = "en") -> str:
        if lang == "ru":
            if self.lapsed:
                return (f"не действует {self.act} (срок истёк {ru_date(self.valid_until)}); его значения "
                        f"применяются как норматив школы до утверждения нового акта")
            return (f"{self.act} утрачивает силу {ru_date(self.valid_until)} (через {self.days_left} "
                    f"{_days_ru(self.days_left)}); нового акта в данных норм нет")
        if self.lapsed:
            return (f"{self.act} ceased to apply on {self.valid_until.isoformat()}; its values apply as the school's "
                    f"own norms until a new act is adopted")
        return (f"{self.act} ceases to apply on {self.valid_until.isoformat()} (in {self.days_left} days); no "
                f"successor act is in the norm data")


def _days_ru(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "день"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "дня"
    return "дней"


def _successor(library: NormLibrary, s: NormSet) -> NormSet | None:
    """A set that takes over on the day s lapses: same family, or naming s in `supersedes`."""
    for o in library.sets:
        if o is s or s.valid_until is None:
            continue
        if (o.family == s.family or s.id in o.supersedes) and o.valid_on(s.valid_until):
            return o
    return None


def lapse_alerts(library: NormLibrary, day: date, window_days: int = LAPSE_WINDOW_DAYS) -> list[LapseAlert]:
    """Binding acts that lapse within the window after `day` without a successor, and those already lapsed and
    carried over on `day` (shown on every date after the lapse)."""
    alerts = []
    carried = {s.id for s in library._lapsed(day, [s for s in library.sets if s.valid_on(day)])}
    for s in library.sets:
        if not s.binding or s.valid_until is None or _successor(library, s) is not None:
            continue
        left = (s.valid_until - day).days
        if s.id in carried or (0 < left <= window_days and s.valid_on(day)):
            alerts.append(LapseAlert(s.act, s.valid_until, left, s.valid_until_source))
    return sorted(alerts, key=lambda a: (a.valid_until, a.act))


def norm_set_table(library: NormLibrary, day: date, lang: str = "en") -> list[str]:
    """Every set with its validity, and its status on `day`."""
    norms = library.in_force(day)
    in_force = {s.id for s in norms.sets}
    carried = {s.id for s in norms.carried_over}
    ru = lang == "ru"
    lines = [f"Наборы норм на {ru_date(day)}:" if ru else f"Norm sets on {day.isoformat()}:"]
    for s in sorted(library.sets, key=lambda x: (x.family, x.valid_from)):
        until = (ru_date(s.valid_until) if ru else s.valid_until.isoformat()) if s.valid_until else \
            ("бессрочно" if ru else "open-ended")
        since = ru_date(s.valid_from) if ru else s.valid_from.isoformat()
        if s.id in in_force:
            status = "действует" if ru else "in force"
        elif s.id in carried:
            status = "утратил силу, значения применяются как норматив школы" if ru else \
                "lapsed, values carried over as school policy"
        elif s.valid_from > day:
            status = "ещё не вступил в силу" if ru else "not yet in force"
        else:
            status = "утратил силу, заменён" if ru else "lapsed, replaced"
        extra = []
        if s.supersedes:
            extra.append(("заменяет " if ru else "supersedes ") + ", ".join(
                next((o.act for o in library.sets if o.id == x), x) for x in s.supersedes))
        if s.valid_until_source:
            extra.append(("срок по " if ru else "end date from ") + s.valid_until_source)
        if not s.binding:
            extra.append("не обязателен" if ru else "not binding")
        lines.append(f"  {s.act} [{s.id}]: {since} – {until}: {status}" + (f" ({'; '.join(extra)})" if extra else ""))
    if norms.carried_by_other():
        lines.append("Остаются обязательными через действующий акт:" if ru else "Still binding through an act in force:")
        for n in sorted(norms.carried_by_other(), key=lambda n: n.key):
            lines.append(f"  {n.title_ru if ru else n.title_en}: {n.act}, {n.clause}")
    if norms.carried_norms():
        lines.append("Применяются как норматив школы:" if ru else "Applied as the school's own norms:")
        for n in sorted(norms.carried_norms(), key=lambda n: n.key):
            lines.append(f"  {n.title_ru if ru else n.title_en} ({n.own_act}, {n.clause})")
    return lines


BUDGET_COLUMNS_RU = {"home_day": "«суммарно в день дома, включая досуговую деятельность»",
                     "school_day": "«суммарно в день в школе»"}


def budget_column_text(column: str) -> tuple[str, str]:
    """The daily screen-budget column chosen (табл. 6.8), stated as the school's interpretation (ru, en)."""
    col_ru = BUDGET_COLUMNS_RU.get(column, column)
    return (f"суточный лимит экранного времени онлайн-дня берётся из столбца {col_ru} табл. 6.8 СанПиН 1.2.3685-21 — "
            f"это толкование школы: ни один источник не говорит, какой столбец относится к уроку дома",
            f"the online day's screen budget is the '{column}' column of СанПиН 1.2.3685-21 table 6.8 — the school's "
            f"interpretation: no source says which column an online lesson at home counts against")


def banner(library: NormLibrary, day: date, lang: str = "ru") -> str | None:
    """The page banner: names the act and the date from 60 days before a lapse and on every date after it."""
    alerts = lapse_alerts(library, day)
    if not alerts:
        return None
    return " ".join(a.text(lang)[0].upper() + a.text(lang)[1:] + "." for a in alerts)


__all__ = ["LAPSE_WINDOW_DAYS", "LapseAlert", "banner", "budget_column_text", "lapse_alerts", "norm_set_table"]
