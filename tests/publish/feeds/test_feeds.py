"""Feeds: validity, two parsers agree, identity and SEQUENCE rules, publication union, failed writes, privacy."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from planner.errors import InputError
from planner.plan.model import Mode
from planner.publish.feeds import files as feed_files
from planner.publish.feeds import select as feed_select
from planner.publish.feeds.state import FeedState
from planner.publish.feeds import ics
from planner.scenario.model import ASYNC_KIND_RU
from planner.publish import alternative
from planner.publish.feeds.events import CANCELLED_PREFIX, LINK_LINE, NO_LINK_TEXT, event_uid
from planner.publish.feeds.render import FeedRenderer
from planner.publish.feeds.select import FeedSpec, feed_items
from planner.publish.checks import MissingLinks, check_plan
from planner.publish.feeds.files import feed_file_name
from planner.publish.feeds.state import load_state
from planner.publish.feeds.workflow import publish_to_dir
from planner.publish.feeds.tokens import TokenStore
from planner.storage import Store

from ..conftest import NOW, events_of, ical_js, parse_all


def _publish(tmp_path, school, plan, now=NOW, **kw):
    store = Store.open(tmp_path / "data")
    out = publish_to_dir(store, school, plan, tmp_path / "feeds", now, **kw)
    return store, out


def _admin_file(store, tmp_path):
    admin = next(t for t in TokenStore(store).list() if t.kind == "admin")
    return tmp_path / "feeds" / feed_file_name(admin.secret)


def _moved(plan, key_date: date):
    target = next(o for o in plan.occurrences if o.mode == Mode.LIVE and o.date == key_date)
    shift = timedelta(minutes=10)
    occ = [o.model_copy(update={"start": o.start + shift, "end": o.end + shift}) if o is target else o
           for o in plan.occurrences]
    return plan.model_copy(update={"occurrences": occ}), target


def test_every_feed_is_valid_and_complete(tmp_path, school, plan01):
    store, out = _publish(tmp_path, school, plan01)
    cals = parse_all(tmp_path / "feeds")
    assert len(cals) == 1 + len(school.teachers) + len(school.classes) == out.feeds
    for name, cal in cals.items():
        cal.validate()
        assert cal.get_missing_tzids() == set(), name
        assert [tz["TZID"] for tz in cal.timezones] == ["Asia/Yekaterinburg"]
        uids = [str(e["UID"]) for e in cal.events]
        assert len(uids) == len(set(uids)), name
        for ev in cal.events:
            assert ev.end > ev.start, ev["UID"]
            assert str(ev["DTSTART"].params.get("TZID")) == "Asia/Yekaterinburg"
    raw = _admin_file(store, tmp_path).read_bytes()
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in raw and b"X-PUBLISHED-TTL:PT1H\r\n" in raw
    assert raw.count(b"X-WR-CALNAME") == 1 and b"METHOD:PUBLISH" in raw
    admin = Calendar.from_ical(raw)
    assert len(admin.events) == len(plan01.occurrences)
    live = [e for e in admin.events if "(онлайн" in str(e["SUMMARY"])]
    assert len(live) == sum(o.mode == Mode.LIVE for o in plan01.occurrences)
    for ev in live:
        link = str(ev["URL"])
        assert re.fullmatch(r".+ · .+ \(онлайн(, ч\. \d/\d)?\)", str(ev["SUMMARY"]))
        assert str(ev["DESCRIPTION"]).splitlines()[0] == LINK_LINE + link
        assert str(ev["LOCATION"]) == link and ev.conferences[0].uri == link
        assert "Учитель: " in str(ev["DESCRIPTION"])
    assert any("Гимнастика для глаз: " in str(e["DESCRIPTION"]) for e in live)
    tasks = [e for e in admin.events if "(самостоятельно" in str(e["SUMMARY"])]
    assert tasks and all(("сдать до" in str(e["DESCRIPTION"])) != ("сдавать не нужно" in str(e["DESCRIPTION"]))
                         and str(e["TRANSP"]) == "TRANSPARENT" for e in tasks)
    assert sum("сдавать не нужно" in str(e["DESCRIPTION"]) for e in tasks) == sum(
        o.mode == Mode.ASYNC and o.async_work.deadline is None for o in plan01.occurrences)


def test_icalendar_and_ical_js_agree(tmp_path, school, plan01):
    store, _ = _publish(tmp_path, school, plan01)
    TokenStore(store).create(school.id, "family", "Семья-1", now=NOW, class_id="2A", groups=["2A-L1"])
    publish_to_dir(store, school, plan01, tmp_path / "feeds", NOW)
    files = sorted((tmp_path / "feeds").glob("*.ics"))
    seen_by_js = ical_js(files)
    assert len(seen_by_js) == len(files) == 2 + len(school.teachers) + len(school.classes)
    for f in files:
        ours = events_of(Calendar.from_ical(f.read_bytes()))
        theirs = {e["uid"]: e for e in seen_by_js[str(f)]}
        assert set(ours) == set(theirs), f.name
        for uid, e in ours.items():
            js = theirs[uid]
            assert datetime.fromisoformat(js["start"].replace("Z", "+00:00")) == e["start"], uid
            assert datetime.fromisoformat(js["end"].replace("Z", "+00:00")) == e["end"], uid
            assert (js["summary"], js["status"], js["sequence"]) == (e["summary"], e["status"], e["sequence"]), uid


def test_shared_bytes_equal_a_naive_build(tmp_path, school, plan01):
    store, _ = _publish(tmp_path, school, plan01)
    state = load_state(store, school.id)
    today = NOW.date()
    for spec in (FeedSpec("admin", "admin", feed_uid="a"), FeedSpec("class", "7A", "7A", feed_uid="c"),
                 FeedSpec("teacher", "T-RUS1", feed_uid="t", include_regular=True)):
        shared = FeedRenderer().render(state, spec, today).body
        name, desc = feed_select.feed_title(spec, school)
        shell = ics.calendar_shell(name, desc, spec.feed_uid, school.timezone, today)
        items = feed_items(state, spec, today)
        if spec.kind in ("class", "family"):
            items = [feed_select.shared_view(i, school) for i in items]
        assert shared == ics.render_naive(shell, items)


def test_class_feeds_leave_invite_links_out_by_default_and_teacher_feeds_keep_them(tmp_path, school, plan01):
    store, _ = _publish(tmp_path, school, plan01)
    state = load_state(store, school.id)
    today = NOW.date()
    links = {o.link for o in plan01.occurrences if o.class_id == "7A" and o.link}
    assert links
    cls = FeedRenderer().render(state, FeedSpec("class", "7A", "7A", feed_uid="c"), today).body.decode()
    assert "max.ru" not in cls and "Учитель:" in cls and "MAX" in cls
    teacher_id = next(t for o in plan01.occurrences if o.class_id == "7A" and o.link for t in o.teachers)
    tfeed = FeedRenderer().render(state, FeedSpec("teacher", teacher_id, feed_uid="t"), today).body.decode()
    assert "max.ru/join/" in tfeed.replace("\r\n ", "")
    policy = school.channel_policy.model_copy(update={"links_in_family_feeds": True,
                                                      "teacher_names_in_family_feeds": False})
    shared = state.school.model_copy(update={"channel_policy": policy})
    state2 = FeedState(shared, state.items, state.covered, state.regular_stamp, state.version)
    cls2 = FeedRenderer().render(state2, FeedSpec("class", "7A", "7A", feed_uid="c"), today).body.decode()
    assert "max.ru/join/" in cls2.replace("\r\n ", "") and "Учитель:" not in cls2


def test_republishing_an_unchanged_plan_changes_no_byte(tmp_path, school, plan01, library):
    store, first = _publish(tmp_path, school, plan01)
    before = {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in (tmp_path / "feeds").glob("*.ics")}
    again = plan01.model_copy(update={"created_at": plan01.created_at + timedelta(hours=1)})
    second = publish_to_dir(store, school, again, tmp_path / "feeds", NOW + timedelta(hours=2))
    assert second.result.unchanged and not second.written and not second.new_tokens
    after = {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in (tmp_path / "feeds").glob("*.ics")}
    assert after == before
    # the server's rendering of the same state for the same day is the same bytes too
    state = load_state(store, school.id)
    admin = next(t for t in TokenStore(store).list() if t.kind == "admin")
    assert FeedRenderer().render(state, FeedSpec.from_token(admin), NOW.date()).body == before[feed_file_name(admin.secret)][0]


def test_a_moved_lesson_keeps_its_uid_and_raises_only_its_sequence(tmp_path, school, plan01):
    store, _ = _publish(tmp_path, school, plan01)
    admin_file = _admin_file(store, tmp_path)
    old = events_of(Calendar.from_ical(admin_file.read_bytes()))
    moved_plan, target = _moved(plan01, date(2026, 12, 8))
    later = NOW + timedelta(days=1)
    out = publish_to_dir(store, school, moved_plan, tmp_path / "feeds", later)
    uid = event_uid(target.key, target.part, school.id)
    assert out.result.changed == [uid] and not out.result.created and not out.result.dropped
    new = events_of(Calendar.from_ical(admin_file.read_bytes()))
    assert set(new) == set(old)
    for u, e in new.items():
        if u == uid:
            assert e["sequence"] == old[u]["sequence"] + 1
            assert e["start"] == old[u]["start"] + timedelta(minutes=10)
            assert e["stamp"] == later
        else:
            assert (e["sequence"], e["stamp"]) == (old[u]["sequence"], old[u]["stamp"]), u


def test_a_dropped_lesson_is_cancelled_until_its_date_passes(tmp_path, school, plan01):
    store, _ = _publish(tmp_path, school, plan01)
    admin_file = _admin_file(store, tmp_path)
    target = next(o for o in plan01.occurrences if o.date == date(2026, 12, 9) and o.mode == Mode.LIVE)
    uid = event_uid(target.key, target.part, school.id)
    old = events_of(Calendar.from_ical(admin_file.read_bytes()))[uid]
    dropped = plan01.model_copy(update={"occurrences": [o for o in plan01.occurrences if o is not target]})
    out = publish_to_dir(store, school, dropped, tmp_path / "feeds", NOW + timedelta(days=1))
    assert out.result.dropped == [uid] and not out.result.changed
    new = events_of(Calendar.from_ical(admin_file.read_bytes()))
    assert new[uid]["status"] == "CANCELLED" and new[uid]["sequence"] == old["sequence"] + 1
    assert new[uid]["summary"] == CANCELLED_PREFIX + old["summary"]
    after = publish_to_dir(store, school, dropped, tmp_path / "feeds", datetime(2026, 12, 10, 5, tzinfo=timezone.utc))
    assert after.result.unchanged
    assert uid not in events_of(Calendar.from_ical(admin_file.read_bytes()))  # its date has passed
    # bringing it back raises SEQUENCE again and confirms it
    publish_to_dir(store, school, plan01, tmp_path / "feeds", NOW + timedelta(days=2))
    back = load_state(store, school.id)
    item = next(i for i in back.items if i.event.uid == uid)
    assert (item.status, item.sequence, item.dropped) == ("CONFIRMED", old["sequence"] + 2, False)


def test_next_weeks_plan_does_not_cancel_this_weeks(tmp_path, school, plan01, plan05):
    store, _ = _publish(tmp_path, school, plan01)
    out = publish_to_dir(store, school, plan05, tmp_path / "feeds", datetime(2026, 12, 8, 3, tzinfo=timezone.utc))
    assert not out.result.dropped and not out.result.changed
    admin = events_of(Calendar.from_ical(_admin_file(store, tmp_path).read_bytes()))
    dates = {e["start"].astimezone(timezone(timedelta(hours=5))).date() for e in admin.values()}
    assert date(2026, 12, 7) in dates and date(2026, 12, 14) in dates
    assert all(e["status"] == "CONFIRMED" for e in admin.values())
    kinds = " ".join(e["summary"] for e in admin.values())
    assert "(в школе)" in kinds and "(в школе, самоподготовка)" in kinds  # in-school and replaced lessons


def test_regular_days_only_on_request_and_uid_continuity(tmp_path, school, plan01):
    store, _ = _publish(tmp_path, school, plan01, now=datetime(2026, 11, 30, 3, tzinfo=timezone.utc))
    state = load_state(store, school.id)
    today = date(2026, 11, 30)
    plain = feed_items(state, FeedSpec("class", "7A", "7A"), today)
    full = feed_items(state, FeedSpec("class", "7A", "7A", include_regular=True), today)
    regular = [i for i in full if i.event.regular]
    assert regular and all(i.event.date not in state.covered for i in regular)
    assert all(i.sequence == 0 and "(по расписанию)" in i.summary for i in regular)
    assert {i.event.uid for i in plain} < {i.event.uid for i in full}
    assert all(i.sequence >= 1 for i in plain)
    # the regular Monday lesson and the frost-week lesson of the next Monday share the key scheme
    assert any(i.event.uid.startswith("2026-11-30|7A|") for i in regular)
    assert any(i.event.uid.startswith("2026-12-07|7A|") for i in plain)


def test_feed_selection_by_teacher_class_and_family(tmp_path, school, plan01):
    store, _ = _publish(tmp_path, school, plan01)
    state = load_state(store, school.id)
    today = NOW.date()
    fam = feed_items(state, FeedSpec("family", "f", "2A", frozenset({"2A-L1"})), today)
    whole = feed_items(state, FeedSpec("class", "2A", "2A"), today)
    assert fam and len(fam) < len(whole)
    assert all(not i.event.groups or "2A-L1" in i.event.groups for i in fam)
    assert any(i.event.groups == ("2A-L2",) for i in whole)
    teacher = "T-RUS1"
    mine = feed_items(state, FeedSpec("teacher", teacher), today)
    assert mine and all(teacher in i.event.teachers for i in mine)
    assert any(i.event.kind == "async" for i in mine)  # a teacher sees the tasks they set, with the deadline


def test_a_plan_for_another_school_is_refused(tmp_path, school, plan01):
    other = school.model_copy(update={"name": school.name + " (другая)"})
    with pytest.raises(InputError) as err:
        check_plan(other, plan01)
    assert "another school" in str(err.value)
    with pytest.raises(InputError):
        _publish(tmp_path, other, plan01)
    assert not (tmp_path / "feeds").exists()


def test_live_lessons_without_a_link_refuse_the_publication(tmp_path, school, plan01):
    target = next(o for o in plan01.occurrences if o.mode == Mode.LIVE)
    broken = plan01.model_copy(update={"occurrences": [o.model_copy(update={"link": None}) if o is target else o
                                                       for o in plan01.occurrences]})
    with pytest.raises(MissingLinks) as err:
        _publish(tmp_path, school, broken)
    assert err.value.occurrences == [broken.occurrences[plan01.occurrences.index(target)]]
    store, _ = _publish(tmp_path, school, broken, allow_missing_links=True)
    ev = next(i.event for i in load_state(store, school.id).items if i.event.uid == event_uid(target.key, 1, school.id))
    assert ev.description.splitlines()[0] == LINK_LINE + NO_LINK_TEXT and ev.link is None


def test_a_failed_write_leaves_the_previous_feeds(tmp_path, school, plan01, monkeypatch):
    store, _ = _publish(tmp_path, school, plan01)
    before = {f.name: f.read_bytes() for f in (tmp_path / "feeds").iterdir()}
    calls = {"n": 0}
    real = feed_files._write_temp

    def failing(path, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr(feed_files, "_write_temp", failing)
    moved_plan, _ = _moved(plan01, date(2026, 12, 8))
    moved_plan, _ = _moved(moved_plan, date(2026, 12, 9))
    moved_plan, _ = _moved(moved_plan, date(2026, 12, 10))
    with pytest.raises(OSError):
        publish_to_dir(store, school, moved_plan, tmp_path / "feeds", NOW + timedelta(days=1))
    assert calls["n"] == 3
    assert {f.name: f.read_bytes() for f in (tmp_path / "feeds").iterdir()} == before  # no temp file left either
    monkeypatch.setattr(feed_files, "_write_temp", real)
    publish_to_dir(store, school, moved_plan, tmp_path / "feeds", NOW + timedelta(days=1))  # a re-run repairs
    assert {f.name: f.read_bytes() for f in (tmp_path / "feeds").iterdir()} != before


def _words(text: str) -> set[str]:
    return set(re.findall(r"[А-Яа-яЁё]+", text))


def test_feeds_hold_only_class_subject_teacher_and_link_data(tmp_path, school, plan01, plan05):
    store, _ = _publish(tmp_path, school, plan01)
    family_name = "Семья Ивановых"
    TokenStore(store).create(school.id, "family", family_name, now=NOW, class_id="7A")
    publish_to_dir(store, school, plan05, tmp_path / "feeds", NOW)
    allowed = set()
    for text in ([school.name] + [c.name for c in school.classes] + [g.name for c in school.classes for g in c.groups]
                 + [s.name for s in school.subjects] + [t.name for t in school.teachers]
                 + [r.text_ru for p in (plan01, plan05) for o in p.occurrences for r in o.reasons]
                 + [o.cover.text_ru for p in (plan01, plan05) for o in p.occurrences if o.cover]):
        allowed |= _words(text)
    fixed = _words(" ".join([
        "Ссылка на урок пока не назначена смотрите чат класса Учитель по расписанию По",
        "Самостоятельная работа задание на бумаге или по учебнику видеозапись урока задание онлайн около мин",
        *ASYNC_KIND_RU.values(), "сдавать не нужно",  # light subjects' own kinds (issue 13)
        "Выполнить сдать до Чат класса Гимнастика для глаз Физкультминутка Причина онлайн в школе замена",
        "самоподготовка отменён самостоятельно ч ОТМЕНЁН Урок по обычному расписанию Видеозвонок",
        "Уроки Все все уроки администрация уроки учителя класса школы Календарь обновляется не чаще раза в час",
        "раз в часа срочные изменения приходят в чат класса в",
        "Замена",  # issue 14: the cover's own text follows it (an absent teacher, never why)
        feed_select.SHARED_LINK_TEXT,
        # the alternative track's task line (004 §3.7): fixed words, counts and the class name only
        "Без устройства или с отказом для обучающегося обучающихся сдать до п", alternative.ACT_RU,
        *alternative.ACTION_RU.values(),
    ]))
    for f in (tmp_path / "feeds").glob("*.ics"):
        text = f.read_bytes().decode("utf-8").replace("\r\n ", "")
        assert "Ивановых" not in text
        unknown = _words(text) - allowed - fixed
        assert not unknown, f"{f.name}: words from outside the school model: {sorted(unknown)[:10]}"


def test_a_cover_reads_zamena_once_and_never_the_deputys_to_do(school, plan05):
    """Seen in the feeds of scenario 05: «Замена: замена: учитель отсутствует, …»; and a task nobody could be named
    for must not tell families «назначьте учителя» (that is the plan page's amber notice)."""
    from planner.plan.model import Cover
    from planner.publish.feeds.events import cover_line, events_from_plan

    descriptions = [e.description for e in events_from_plan(school, plan05)]
    assert any("Замена: учитель отсутствует, онлайн-урок ведёт учитель того же предмета" in d for d in descriptions)
    assert not any("Замена: замена" in d for d in descriptions)
    task = next(o for o in plan05.occurrences if o.mode == Mode.ASYNC and o.cover is not None)
    unnamed = task.model_copy(update={"cover": Cover(
        role="none", absent=task.cover.absent,
        text_ru="учитель отсутствует — некому выдать и проверить задание: назначьте учителя", text_en="-")})
    assert cover_line(unnamed) == "Замена: учитель отсутствует"


def test_a_college_feed_speaks_of_pairs_and_lecturers(tmp_path):
    """A college's feeds: «в колледже», «Преподаватель:», «пары … группы», the cover and the students' task in
    college words; the teacher-names policy still drops the lecturer's line from shared feeds."""
    from planner.importers import load_school
    from planner.norms import NormLibrary
    from planner.publish.feeds.events import FeedItem, events_from_plan
    from planner.rebuild import rebuild
    from planner.scenario import scenario_from_toml

    from pathlib import Path

    samples = Path(__file__).resolve().parents[3] / "sample_data" / "college-ptk"
    college = load_school(samples).school
    plan = rebuild(college, scenario_from_toml(samples / "scenarios" / "04-first-course-sick-history-teacher.toml"),
                   NormLibrary.load(), time_limit=10, workers=1)
    events = events_from_plan(college, plan)
    text = "\n".join(e.summary + "\n" + e.description for e in events)
    assert "(в колледже" in text and "(в школе" not in text
    assert "Преподаватель: " in text and "Учитель: " not in text and "Учитель по расписанию" not in text
    assert "Замена: преподаватель отсутствует, онлайн-пару ведёт преподаватель того же предмета" in text
    covers = [ln for ln in text.split("\n") if ln.startswith("Замена:")]
    assert covers and not any("учител" in ln or "урок" in ln for ln in covers)  # no school word in a cover line
    # self-study nobody could supervise: the feed says so without the deputy's «назначьте дежурного»
    unsupervised = [ln for ln in text.split("\n") if ln.startswith("Причина: преподаватель отсутствует, свободного "
                                                                     "преподавателя этого предмета нет")]
    assert unsupervised and "назначьте" not in text
    assert "студентов" in text and "обучающ" not in text
    name, description = feed_select.feed_title(FeedSpec(kind="class", subject_id=college.classes[0].id,
                                                        class_id=college.classes[0].id), college)
    assert name.endswith(" — пары") and "пары группы" in description and "уроки" not in description
    with_lecturer = next(e for e in events if "Преподаватель по расписанию: " in e.description)
    quiet = college.model_copy(update={"channel_policy": college.channel_policy.model_copy(
        update={"teacher_names_in_family_feeds": False})})
    shared = feed_select.shared_view(FeedItem(event=with_lecturer, sequence=0, changed_at=NOW), quiet)
    assert "Преподаватель" not in shared.event.description
    # the call's link line and the shared feeds' stand-in speak of пары and группы too (they said «урок», «класса»)
    assert "Ссылка на пару: " in text and "Ссылка на урок" not in text and "Чат класса" not in text
    live = next(e for e in events if e.kind == "live")
    shared_live = feed_select.shared_view(FeedItem(event=live, sequence=0, changed_at=NOW), college).event
    assert shared_live.link is None and "Ссылка на пару: звонок в чате группы в MAX (ссылку даёт преподаватель" \
        in shared_live.description
