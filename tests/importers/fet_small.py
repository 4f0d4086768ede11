"""Generate a small, solvable FET (.fet) file for the FET importer's tests.

Three classes (5-А without groups, 7Б split into two English groups, 10 divided by two FET categories —
English group × profile — with the four subgroups FET derives), six teachers, about forty activities
(split lessons sharing Activity_Group_Id, a lesson with two teachers, a lesson for two classes), 5 days × 6 hours
whose names carry their times, and one teacher's not-available times. Written at test time: FET's own example
files are never copied into this repository.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

DAYS = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница"]
HOURS = ["08:30-09:15", "09:25-10:10", "10:30-11:15", "11:35-12:20", "12:30-13:15", "13:25-14:10"]
SUBJECTS = ["Математика", "Русский язык", "Литература", "Английский язык", "История", "Физика",
            "Физическая культура", "Биология", "Классный час"]
TEACHERS = ["Иванова А. П.", "Петров С. И.", "Сидорова Е. В.", "Кузнецов Д. А.", "Смирнова О. Н.", "Волков И. Р."]

# (name, students, categories: list of (division names), groups/subgroups are derived as FET does)
YEARS = [
    ("5-А", 26, []),
    ("7Б", 24, [["англ1", "англ2"]]),
    ("10", 20, [["англ1", "англ2"], ["физмат", "гум"]]),
]

# (teachers, subject, students, durations of the split parts)
ACTIVITIES = [
    # 5-А
    (["Иванова А. П."], "Математика", ["5-А"], [2, 1, 1, 1]),
    (["Сидорова Е. В."], "Русский язык", ["5-А"], [1, 1, 1, 1]),
    (["Сидорова Е. В."], "Литература", ["5-А"], [1, 1]),
    (["Смирнова О. Н."], "Английский язык", ["5-А"], [1, 1]),
    (["Волков И. Р."], "История", ["5-А"], [1, 1]),
    (["Кузнецов Д. А."], "Физическая культура", ["5-А", "7Б"], [1, 1]),
    (["Петров С. И.", "Волков И. Р."], "Классный час", ["5-А"], [1]),
    # 7Б
    (["Иванова А. П."], "Математика", ["7Б"], [2, 2, 1]),
    (["Сидорова Е. В."], "Русский язык", ["7Б"], [1, 1, 1]),
    (["Смирнова О. Н."], "Английский язык", ["7Б англ1"], [1, 1]),
    (["Волков И. Р."], "Английский язык", ["7Б англ2"], [1, 1]),
    (["Петров С. И."], "Физика", ["7Б"], [1, 1]),
    (["Волков И. Р."], "История", ["7Б"], [1]),
    # 10
    (["Иванова А. П."], "Математика", ["10"], [2, 1]),
    (["Петров С. И."], "Физика", ["10 физмат"], [2, 1]),
    (["Сидорова Е. В."], "Литература", ["10 гум"], [1, 1]),
    (["Смирнова О. Н."], "Английский язык", ["10 англ1"], [1, 1]),
    (["Волков И. Р."], "Английский язык", ["10 англ2"], [1, 1]),
    (["Кузнецов Д. А."], "Биология", ["10"], [1]),
]

# teacher -> [(day index, hour index)] the teacher is not available
NOT_AVAILABLE = {"Кузнецов Д. А.": [(0, 0), (0, 1), (4, 4), (4, 5)]}


def _e(text: str) -> str:
    return escape(text)


def activity_count() -> int:
    return sum(len(parts) for *_, parts in ACTIVITIES)


def small_fet_xml() -> str:
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>', '<fet version="6.8.5">', "<Mode>Official</Mode>",
                      "<Institution_Name>Школа № 1 (тест)</Institution_Name>", "<Comments></Comments>"]
    out.append(f"<Days_List><Number_of_Days>{len(DAYS)}</Number_of_Days>")
    out += [f"<Day><Name>{_e(d)}</Name></Day>" for d in DAYS]
    out.append("</Days_List>")
    out.append(f"<Hours_List><Number_of_Hours>{len(HOURS)}</Number_of_Hours>")
    out += [f"<Hour><Name>{_e(h)}</Name></Hour>" for h in HOURS]
    out.append("</Hours_List>")
    out.append("<Subjects_List>")
    out += [f"<Subject><Name>{_e(s)}</Name><Comments></Comments></Subject>" for s in SUBJECTS]
    out.append("</Subjects_List><Activity_Tags_List></Activity_Tags_List><Teachers_List>")
    for t in TEACHERS:
        qualified = sorted({subj for ts, subj, _, _ in ACTIVITIES if t in ts})
        out.append(f"<Teacher><Name>{_e(t)}</Name><Target_Number_of_Hours>0</Target_Number_of_Hours>"
                   "<Qualified_Subjects>" + "".join(f"<Qualified_Subject>{_e(s)}</Qualified_Subject>"
                                                    for s in qualified) + "</Qualified_Subjects><Comments></Comments></Teacher>")
    out.append("</Teachers_List><Students_List>")
    for name, students, categories in YEARS:
        out.append(f"<Year><Name>{_e(name)}</Name><Number_of_Students>{students}</Number_of_Students>"
                   "<Comments></Comments>")
        out.append(f"<Number_of_Categories>{len(categories)}</Number_of_Categories>")
        for cat in categories:
            out.append(f"<Category><Number_of_Divisions>{len(cat)}</Number_of_Divisions>"
                       + "".join(f"<Division>{_e(d)}</Division>" for d in cat) + "</Category>")
        out.append("<Separator> </Separator>")
        if len(categories) == 1:
            for d in categories[0]:
                out.append(f"<Group><Name>{_e(name + ' ' + d)}</Name><Number_of_Students>{students // 2}"
                           "</Number_of_Students><Comments></Comments></Group>")
        elif len(categories) == 2:
            c1, c2 = categories
            combos = [(a, b) for a in c1 for b in c2]
            for cat_index, cat in enumerate(categories):
                for d in cat:
                    out.append(f"<Group><Name>{_e(name + ' ' + d)}</Name><Number_of_Students>{students // 2}"
                               "</Number_of_Students><Comments></Comments>")
                    for a, b in combos:
                        if (a, b)[cat_index] == d:
                            out.append(f"<Subgroup><Name>{_e(f'{name} {a} {b}')}</Name><Number_of_Students>"
                                       f"{students // 4}</Number_of_Students><Comments></Comments></Subgroup>")
                    out.append("</Group>")
        out.append("</Year>")
    out.append("</Students_List><Activities_List>")
    next_id = 1
    for teachers, subject, students, parts in ACTIVITIES:
        group_id = next_id if len(parts) > 1 else 0
        for duration in parts:
            out.append("<Activity>" + "".join(f"<Teacher>{_e(t)}</Teacher>" for t in teachers)
                       + f"<Subject>{_e(subject)}</Subject>" + "".join(f"<Students>{_e(s)}</Students>" for s in students)
                       + f"<Duration>{duration}</Duration><Total_Duration>{sum(parts)}</Total_Duration>"
                       f"<Id>{next_id}</Id><Activity_Group_Id>{group_id}</Activity_Group_Id>"
                       "<Active>true</Active><Comments></Comments></Activity>")
            next_id += 1
    out.append("</Activities_List><Buildings_List></Buildings_List><Rooms_List></Rooms_List>")
    out.append("<Time_Constraints_List><ConstraintBasicCompulsoryTime><Weight_Percentage>100</Weight_Percentage>"
               "<Active>true</Active><Comments></Comments></ConstraintBasicCompulsoryTime>")
    for teacher, slots in NOT_AVAILABLE.items():
        out.append(f"<ConstraintTeacherNotAvailableTimes><Weight_Percentage>100</Weight_Percentage>"
                   f"<Teacher>{_e(teacher)}</Teacher><Number_of_Not_Available_Times>{len(slots)}"
                   "</Number_of_Not_Available_Times>"
                   + "".join(f"<Not_Available_Time><Day>{_e(DAYS[d])}</Day><Hour>{_e(HOURS[h])}</Hour>"
                             "</Not_Available_Time>" for d, h in slots)
                   + "<Active>true</Active><Comments></Comments></ConstraintTeacherNotAvailableTimes>")
    out.append("</Time_Constraints_List><Space_Constraints_List><ConstraintBasicCompulsorySpace>"
               "<Weight_Percentage>100</Weight_Percentage><Active>true</Active><Comments></Comments>"
               "</ConstraintBasicCompulsorySpace></Space_Constraints_List></fet>")
    return "\n".join(out) + "\n"


def write_small_fet(path: Path) -> Path:
    path.write_text(small_fet_xml(), encoding="utf-8")
    return path


def solve_small_fet(folder: Path) -> tuple[Path, Path, Path]:
    """Write the small file into `folder` and solve it with Debian's fet-cl: (input .fet, FET's _activities.xml,
    FET's _data_and_timetable.fet). Fails (never skips) when fet-cl is missing."""
    import shutil
    import subprocess

    import pytest

    exe = shutil.which("fet-cl")
    if exe is None:
        pytest.fail("fet-cl is not installed: install the Debian package 'fet' (apt-get install -y fet fet-data)")
    src = write_small_fet(folder / "small.fet")
    out = folder / "out"
    flags = [f"--inputfile={src}", f"--outputdir={out}", "--timelimitseconds=60", "--htmllevel=0"]
    flags += [f"--writetimetables{k}=false" for k in ("dayshorizontal", "daysvertical", "timehorizontal",
                                                       "timevertical", "conflicts", "statistics")]
    run = subprocess.run([exe, *flags], capture_output=True, text=True, timeout=120)
    result = out / "timetables" / "small"
    activities, data = result / "small_activities.xml", result / "small_data_and_timetable.fet"
    assert run.returncode == 0 and activities.is_file(), run.stdout[-2000:] + run.stderr[-2000:]
    return src, activities, data


if __name__ == "__main__":  # pragma: no cover - manual use: python tests/importers/fet_small.py out.fet
    import sys

    print(write_small_fet(Path(sys.argv[1] if len(sys.argv) > 1 else "small.fet")))
