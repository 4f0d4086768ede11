"""Words for the alternative track (regulation on Sferum use, 004: §3.3 — a phone is no device for a lesson;
§3.7 — recordings, self-study with «Моя школа»/ЭПОС, hand-in through the e-journal within two days): the
teacher's task line and the section of the class message for the families concerned. Counts only, never names."""

from __future__ import annotations

from planner.plan.model import Alternative, Mode, Occurrence
from planner.text import institution_words

ACT_RU = "Положение об использовании ИКОП «Сферум»"
ACTION_RU = {"recording": "записать урок и выложить запись", "online_task": "выложить задание в ЭЖ / «Моей школе»",
             "paper": "подготовить задание на бумаге"}
KIND_RU = {"recording": "запись урока", "online_task": "задание в ЭЖ / «Моей школе»", "paper": "задание на бумаге"}
# a college reads «пары», «преподаватель», «куратор группы»: the templates take the institution's words
HOW_RU = {"recording": "смотреть запись {lesson_gen} (её выкладывает {teacher} после звонка) и выполнять задание к ней",
          "online_task": "выполнять задание {lesson_gen} в электронном журнале или в «Моей школе»",
          "paper": "выполнять задание {lesson_gen} по учебнику на бумаге (задание — в электронном журнале или у "
                   "{curator_gen})"}


def pupils_gen(n: int, kind: str = "school") -> str:
    """«для N обучающегося/обучающихся» (genitive after «для»); a college's «студента/студентов»."""
    w = institution_words(kind)
    return f"{n} {w['pupil_gen']}" if n % 10 == 1 and n % 100 != 11 else f"{n} {w['pupils_gen']}"


def teacher_task(a: Alternative, class_name: str, kind: str = "school") -> str:
    """«записать урок и выложить запись для 11 обучающихся 8Б, сдать до 09.12.2026» (a college: «записать пару …
    для 11 студентов ИСП-26 …»)."""
    action = ACTION_RU.get(a.kind, a.kind)
    if str(kind) == "college":
        action = action.replace("записать урок", "записать пару")
    return (f"{action} для {pupils_gen(a.pupils, kind)} {class_name}, сдать до "
            f"{a.deadline:%d.%m.%Y} ({ACT_RU}, п. 3.7)")


def family_lines(occurrences: list[Occurrence], kind: str = "school") -> list[str]:
    """The class message's section for the families of pupils who cannot join the calls (empty when none), in the
    institution's words (`kind`: school or college)."""
    alts = [o.alternative for o in occurrences if o.mode == Mode.LIVE and o.alternative is not None]
    if not alts:
        return []
    w = institution_words(kind)
    most = max(a.pupils for a in alts)
    kinds = list(dict.fromkeys(a.kind for a in alts))
    return [f"Для {pupils_gen(most, kind)} без компьютера, ноутбука или планшета либо с письменным отказом от "
            f"{w['online_gen_pl']} ({ACT_RU}, п. 3.3 и 3.7):",
            f"— участвовать {w['online_prep']} с мобильного телефона нельзя (п. 3.3): телефон не считается "
            f"устройством для {w['lesson_gen']};",
            *[f"— {w['each_online']}: {HOW_RU[k].format(**w) if k in HOW_RU else k};" for k in kinds],
            f"— выполненную работу сдавать через электронный журнал (прикрепить файл) или {w['teacher_dat']} в срок "
            f"по правилу {w['institution_gen']} (п. 3.7); срок каждого дня указан ниже."]


def day_line(occurrences: list[Occurrence], kind: str = "school") -> str | None:
    """One line of a day block: the alternative of that day's live lessons and its hand-in date."""
    alts = [o.alternative for o in occurrences if o.mode == Mode.LIVE and o.alternative is not None]
    if not alts:
        return None
    w = institution_words(kind)
    kinds = ", ".join(dict.fromkeys(KIND_RU.get(a.kind, a.kind) for a in alts))
    due = max(a.deadline for a in alts)
    return f"Без устройства или с отказом ({pupils_gen(max(a.pupils for a in alts), kind)}): {kinds} к " \
           f"{w['online_dat_pl']}, сдать до {due:%d.%m.%Y}."
