"""Words for the alternative track (regulation on Sferum use, 004: §3.3 — a phone is no device for a lesson;
§3.7 — recordings, self-study with «Моя школа»/ЭПОС, hand-in through the e-journal within two days): the
teacher's task line and the section of the class message for the families concerned. Counts only, never names."""

from __future__ import annotations

from planner.plan.model import Alternative, Mode, Occurrence

ACT_RU = "Положение об использовании ИКОП «Сферум»"
ACTION_RU = {"recording": "записать урок и выложить запись", "online_task": "выложить задание в ЭЖ / «Моей школе»",
             "paper": "подготовить задание на бумаге"}
KIND_RU = {"recording": "запись урока", "online_task": "задание в ЭЖ / «Моей школе»", "paper": "задание на бумаге"}
HOW_RU = {"recording": "смотреть запись урока (её выкладывает учитель после звонка) и выполнять задание к ней",
          "online_task": "выполнять задание урока в электронном журнале или в «Моей школе»",
          "paper": "выполнять задание урока по учебнику на бумаге (задание — в электронном журнале или у "
                   "классного руководителя)"}


def pupils_gen(n: int) -> str:
    """«для N обучающегося/обучающихся» (genitive after «для»)."""
    return f"{n} обучающегося" if n % 10 == 1 and n % 100 != 11 else f"{n} обучающихся"


def teacher_task(a: Alternative, class_name: str) -> str:
    """«записать урок и выложить запись для 11 обучающихся 8Б, сдать до 09.12.2026»."""
    return (f"{ACTION_RU.get(a.kind, a.kind)} для {pupils_gen(a.pupils)} {class_name}, сдать до "
            f"{a.deadline:%d.%m.%Y} ({ACT_RU}, п. 3.7)")


def family_lines(occurrences: list[Occurrence]) -> list[str]:
    """The class message's section for the families of pupils who cannot join the calls (empty when none)."""
    alts = [o.alternative for o in occurrences if o.mode == Mode.LIVE and o.alternative is not None]
    if not alts:
        return []
    most = max(a.pupils for a in alts)
    kinds = list(dict.fromkeys(a.kind for a in alts))
    return [f"Для {pupils_gen(most)} без компьютера, ноутбука или планшета либо с письменным отказом от онлайн-уроков "
            f"({ACT_RU}, п. 3.3 и 3.7):",
            "— участвовать в онлайн-уроке с мобильного телефона нельзя (п. 3.3): телефон не считается устройством "
            "для урока;",
            *[f"— к каждому онлайн-уроку: {HOW_RU.get(k, k)};" for k in kinds],
            "— выполненную работу сдавать через электронный журнал (прикрепить файл) или учителю в срок по правилу "
            "школы (п. 3.7); срок каждого дня указан ниже."]


def day_line(occurrences: list[Occurrence]) -> str | None:
    """One line of a day block: the alternative of that day's live lessons and its hand-in date."""
    alts = [o.alternative for o in occurrences if o.mode == Mode.LIVE and o.alternative is not None]
    if not alts:
        return None
    kinds = ", ".join(dict.fromkeys(KIND_RU.get(a.kind, a.kind) for a in alts))
    due = max(a.deadline for a in alts)
    return f"Без устройства или с отказом ({pupils_gen(max(a.pupils for a in alts))}): {kinds} к онлайн-урокам, " \
           f"сдать до {due:%d.%m.%Y}."
