"""Chat messages: composition and splitting, business hours from the norm, the queue, and the CLI."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.cli import main
from planner.importers import load_school
from planner.norms import NormLibrary
from planner.plan.model import Mode
from planner.publish.chat import max_api
from planner.publish.chat.max_api import MaxClient
from planner.publish.chat.max_api import MAX_TEXT_LENGTH
from planner.publish.chat.hours import business_hours
from planner.publish.chat.compose import class_text, compose_messages, teachers_text
from planner.publish.chat.parts import label_parts, split_text
from planner.publish.chat.outbox import queue_messages, send_due
from planner.rebuild import rebuild
from planner.scenario import scenario_from_toml
from planner.storage import Store

from publish.chat.test_max_api import TOKEN, FakeClock, FakeMax

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "sample_data" / "school-17"
TZ = ZoneInfo("Asia/Yekaterinburg")
SATURDAY_21 = datetime(2026, 12, 12, 21, 0, tzinfo=TZ)
MONDAY_0630 = datetime(2026, 12, 14, 6, 30, tzinfo=TZ)
MONDAY_08 = datetime(2026, 12, 14, 8, 0, tzinfo=TZ)
TEACHERS_CHAT_ID = "-500"


@pytest.fixture(scope="module")
def school():
    return load_school(SOURCE).school


@pytest.fixture(scope="module")
def plan(school, library):
    return rebuild(school, scenario_from_toml(SOURCE / "scenarios" / "05-sick-physics-teacher.toml"), library)


@pytest.fixture(scope="module")
def plan_file(plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(plan.to_json(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def messages(school, plan):
    return compose_messages(school, plan, teachers_chat_id=TEACHERS_CHAT_ID)


def _parts(messages) -> int:
    return sum(len(m.text_parts) for m in messages)


# ---------------------------------------------------------------- composition


def test_one_message_per_changed_class_chat_and_one_for_teachers(school, plan, messages):
    changed = {o.class_id for o in plan.occurrences if o.mode != Mode.IN_SCHOOL}
    assert {"5A", "9B", "10A", "11A"} <= changed
    class_chats = {c.class_id: c for c in school.chats if c.subject_id is None}
    by_key = {m.chat_key: m for m in messages}
    assert set(by_key) == {f"class:{c}" for c in changed} | {"teachers"}
    for cid in changed:
        assert by_key[f"class:{cid}"].invite_link == class_chats[cid].invite_link
    assert by_key["teachers"].chat_id == TEACHERS_CHAT_ID


def test_class_message_names_reason_dates_live_times_links_and_deadlines(school, plan, messages):
    text = next(m for m in messages if m.chat_key == "class:5A").text
    assert text.startswith("5А — дистанционное обучение с 14.12.2026 по 18.12.2026\nПричина: карантин.")
    link = next(c.invite_link for c in school.chats if c.class_id == "5A" and c.subject_id is None)
    assert link in text
    live = [o for o in plan.occurrences if o.class_id == "5A" and o.mode == Mode.LIVE]
    work = [o for o in plan.occurrences if o.class_id == "5A" and o.mode == Mode.ASYNC]
    assert live
    assert work
    for o in live:  # school time, not UTC
        assert f"{o.start.astimezone(TZ):%H:%M}–{o.end.astimezone(TZ):%H:%M} " in text
    for o in work:
        due = o.async_work.deadline  # none for work with nothing to hand in (PE movement, a class hour)
        assert (f"сдать до {due:%d.%m.%Y}" if due else "сдавать не нужно") in text
    assert "Пн 14.12.2026" in text
    assert "Пт 18.12.2026" in text


def test_replacement_only_class_lists_the_replacements(messages):
    text = next(m for m in messages if m.chat_key == "class:11A").text
    assert text.startswith("11А — изменения в расписании")
    assert "Физика — замена: " in text
    assert "самостоятельная работа под присмотром" in text
    assert "Онлайн-уроки" not in text


def test_teachers_message_names_absence_without_cause_and_each_teachers_calls(school, plan, messages):
    text = next(m for m in messages if m.chat_key == "teachers").text
    assert "Отсутствует: Григорьев Виктор Юрьевич." in text  # one person: the verb agrees
    assert "болеет" not in text and "больнич" not in text  # the cause stays out of the chat
    assert "Классы на дистанте: 5А, 5Б" in text


def test_every_part_fits_and_parts_rebuild_the_whole_text(school, plan, messages):
    teachers = next(m for m in messages if m.chat_key == "teachers")
    assert len(teachers.text_parts) > 1  # the sample's teachers' message needs several parts
    assert teachers.text == teachers_text(school, plan)
    assert next(m for m in messages if m.chat_key == "class:5A").text == class_text(
        school, plan, "5A", chat_link=next(c.invite_link for c in school.chats if c.class_id == "5A"))
    for m in messages:
        n = len(m.text_parts)
        for i, part in enumerate(m.text_parts, 1):
            assert len(part) <= MAX_TEXT_LENGTH
            if n > 1:
                header, body = part.split("\n", 1)
                # the teachers' message, and a class message grown by its families' section (004 §3.7)
                assert f"(часть {i}/{n})" in header
                assert header.startswith(m.text.split("\n", 1)[0])  # the text's own title, dates included
                assert body.endswith("\n")  # cut at a line end, never inside a line
    later = teachers.text_parts[1].split("\n", 1)[0]
    assert ", продолжение: Пн 14.12.2026" in later or teachers.text_parts[1].split("\n")[1] == "Вт 15.12.2026"


def test_every_part_of_a_split_message_has_exactly_one_header(school, plan, messages):
    """Issue 13: a class message split into parts once carried two headers in its first part («8Б — расписание
    с … (часть 1/2)» above «8Б — дистанционное обучение с …»); each part now has one, with the part number."""
    split = [m for m in messages if len(m.text_parts) > 1]
    assert any(m.chat_key.startswith(("class:", "parents:")) for m in split)  # class messages are split too
    assert any(m.chat_key == "teachers" for m in split)
    for m in split:
        title = m.text.split("\n", 1)[0]
        who = title.split(" — ", 1)[0] + " — "
        assert " с 14.12.2026" in title
        for i, part in enumerate(m.text_parts, 1):
            lines = part.split("\n")
            assert lines[0].startswith(f"{title} (часть {i}/{len(m.text_parts)})"), (m.chat_key, lines[0])
            assert not [ln for ln in lines[1:] if ln.startswith(who) or "(часть " in ln], (m.chat_key, i)
    wide = compose_messages(school, plan, teachers_chat_id=TEACHERS_CHAT_ID, limit=100_000)
    assert {m.chat_key: m.text for m in wide} == {m.chat_key: m.text for m in messages}  # nothing lost


def test_feed_link_is_optional(school, plan):
    with_feed = compose_messages(school, plan, feed_links={"5A": "https://planner.example/feed/5a.ics"})
    text = next(m for m in with_feed if m.chat_key == "class:5A").text
    assert "Расписание для календаря (подписка): https://planner.example/feed/5a.ics" in text
    assert "подписка" not in next(m for m in compose_messages(school, plan) if m.chat_key == "class:5A").text


def test_split_text_cuts_at_line_ends_and_prefers_day_boundaries():
    text = "".join(f"строка {i}\n" + ("\n" if i % 4 == 3 else "") for i in range(40))
    chunks = split_text(text, 60)
    assert "".join(chunks) == text
    assert all(len(c) <= 60 and c.endswith("\n") for c in chunks)
    assert all(c.endswith("\n\n") for c in chunks[:-1])  # each day block (4 lines, 40 chars) kept whole
    long_line = "слово " * 30 + "\n"
    pieces = split_text("a\n" + long_line, 50)
    assert "".join(pieces) == "a\n" + long_line
    assert all(len(p) <= 50 for p in pieces)
    assert split_text("", 10) == [""]


def test_label_parts_single_part_has_no_header():
    assert label_parts("T", "short\n") == ("short\n",)
    text = "Пн 14.12.2026\n" + "".join(ch * 20 + "\n" for ch in "xyz")  # 77 characters, 4 lines
    parts = label_parts("T", text, limit=70)  # 26 characters left after the header room: one line per part
    assert all(len(p) <= 70 for p in parts)
    assert [p.split("\n", 1)[0] for p in parts] == ["T (часть 1/4)"] + [
        f"T (часть {i}/4), продолжение: Пн 14.12.2026" for i in (2, 3, 4)]
    assert "".join(p.split("\n", 1)[1] for p in parts) == text


# ---------------------------------------------------------------- business hours


def test_business_hours_come_from_the_norm(school, library):
    hours = business_hours(library, school, SATURDAY_21)
    assert not hours.is_open(SATURDAY_21)
    assert not hours.is_open(MONDAY_0630)
    assert hours.is_open(MONDAY_08)
    assert not hours.is_open(datetime(2026, 12, 18, 20, 0, tzinfo=TZ))
    assert hours.next_opening(SATURDAY_21) == MONDAY_08
    assert hours.next_opening(MONDAY_0630) == MONDAY_08
    assert hours.next_opening(datetime(2026, 12, 18, 20, 0, tzinfo=TZ)) == datetime(2026, 12, 21, 8, 0, tzinfo=TZ)
    assert hours.next_opening(MONDAY_0630.astimezone(ZoneInfo("UTC"))) == MONDAY_08


def test_a_changed_norm_changes_the_window(school, tmp_path):
    folder = tmp_path / "constraints"
    shutil.copytree(ROOT / "constraints", folder)
    act = folder / "local-act-sferum-max.toml"
    text = act.read_text(encoding="utf-8")
    assert 'start = "08:00", end = "20:00", last_weekday = 5' in text
    act.write_text(text.replace('start = "08:00", end = "20:00", last_weekday = 5',
                                'start = "09:30", end = "19:00", last_weekday = 6'), encoding="utf-8")
    hours = business_hours(NormLibrary.load(folder), school, SATURDAY_21)
    assert hours.next_opening(SATURDAY_21) == datetime(2026, 12, 14, 9, 30, tzinfo=TZ)
    assert hours.is_open(datetime(2026, 12, 12, 10, 0, tzinfo=TZ))  # Saturday is now a sending day


# ---------------------------------------------------------------- the queue


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def fake(clock, school):
    with FakeMax(clock) as server:
        server.chats = {c.invite_link.rsplit("/", 1)[-1]: -1000 - i for i, c in enumerate(school.chats)}
        yield server


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data") as s:
        yield s


def _client(fake, clock, send=True) -> MaxClient:
    return MaxClient(TOKEN, base_url=fake.base_url, send=send, clock=clock, sleep=clock.sleep)


def test_saturday_evening_is_queued_for_monday_0800_and_drained_once(school, plan, messages, library, store, fake,
                                                                     clock):
    with _client(fake, clock) as client:
        report = queue_messages(store, school, plan, messages, client, now=SATURDAY_21, library=library)
    assert fake.requests == []
    assert report.count("queued") == _parts(messages)
    records = store.list("message", status="queued")
    assert len(records) == _parts(messages)
    assert {r.columns["due_at"] for r in records} == {"2026-12-14T03:00:00.000000+00:00"}  # 08:00 school time
    assert {r.columns["chat"] for r in records} == {m.chat_key for m in messages}

    with _client(fake, clock) as client:
        assert send_due(store, client, now=datetime(2026, 12, 14, 7, 59, tzinfo=TZ)).deliveries == []
        assert fake.requests == []
        report = send_due(store, client, now=MONDAY_08)
    assert report.count("sent") == _parts(messages)
    assert report.count("failed") == 0
    assert len(fake.posts()) == _parts(messages)
    resolved = report.resolved_chat_ids
    assert resolved["class:5A"] == str(fake.chats["owiy8vzxqWfw"])
    assert "teachers" not in resolved
    assert len(fake.posts(TEACHERS_CHAT_ID)) == len(messages[-1].text_parts)
    bodies = [r["body"]["text"] for r in fake.posts(TEACHERS_CHAT_ID)]
    assert bodies == list(messages[-1].text_parts)  # parts in order
    times = [r["t"] for r in fake.posts(TEACHERS_CHAT_ID)]
    assert all(times[i + 2] - times[i] >= 1.0 for i in range(len(times) - 2))
    sent = store.list("message", status="sent")
    assert len(sent) == _parts(messages)
    assert all(r.payload["chat_id"] and r.payload["sent_at"] for r in sent)

    with _client(fake, clock) as client:  # again: nothing is sent twice, not even when composed again
        assert send_due(store, client, now=datetime(2026, 12, 14, 9, 0, tzinfo=TZ)).deliveries == []
        again = queue_messages(store, school, plan, messages, client, now=datetime(2026, 12, 14, 9, 0, tzinfo=TZ),
                               library=library)
    assert again.count("skipped") == _parts(messages)
    assert len(fake.posts()) == _parts(messages)


def test_weekday_0630_is_queued_for_0800_the_same_day(school, plan, messages, library, store, fake, clock):
    with _client(fake, clock) as client:
        queue_messages(store, school, plan, messages[:1], client, now=MONDAY_0630, library=library)
    assert fake.requests == []
    due = [r.columns["due_at"] for r in store.list("message")]  # one per part of the (possibly split) message
    assert due and set(due) == {"2026-12-14T03:00:00.000000+00:00"}


def test_urgent_goes_out_at_once_and_is_recorded(school, plan, messages, library, store, fake, clock):
    with _client(fake, clock) as client:
        report = queue_messages(store, school, plan, messages, client, now=MONDAY_0630, library=library, urgent=True,
                                urgent_category="emergency")
    assert report.count("sent") == _parts(messages)
    assert len(fake.posts()) == _parts(messages)
    records = store.list("message")
    assert {r.columns["status"] for r in records} == {"sent"}
    assert all(r.payload["urgent"] is True for r in records)
    assert all(r.payload["urgent_category"]["name"] == "ЧС" for r in records)


def test_urgent_without_an_emergency_category_is_refused(school, plan, messages, library, store, fake, clock):
    from planner.errors import InputError

    with _client(fake, clock) as client, pytest.raises(InputError, match="5.1"):
        queue_messages(store, school, plan, messages, client, now=MONDAY_0630, library=library, urgent=True)
    assert fake.requests == []
    assert store.list("message") == []


def test_queued_message_made_urgent_goes_out_once(school, plan, messages, library, store, fake, clock):
    with _client(fake, clock) as client:
        queue_messages(store, school, plan, messages[:2], client, now=SATURDAY_21, library=library)
        queue_messages(store, school, plan, messages[:2], client, now=SATURDAY_21, library=library, urgent=True,
                       urgent_category="life_health")
        assert send_due(store, client, now=MONDAY_08).deliveries == []
    assert len(fake.posts()) == _parts(messages[:2])


def test_dry_run_sends_and_stores_nothing(school, plan, messages, library, store, fake, clock):
    client = _client(fake, clock, send=False)
    report = queue_messages(store, school, plan, messages, client, now=MONDAY_08, library=library)
    assert fake.requests == []
    assert store.list("message") == []
    assert report.count("would_send") == _parts(messages)
    assert len(client.recorded) == _parts(messages)
    report = queue_messages(store, school, plan, messages, client, now=SATURDAY_21, library=library)
    assert report.count("would_queue") == _parts(messages)
    assert fake.requests == []


def test_a_server_error_stays_in_the_outbox_and_send_due_retries_it_once_max_answers(school, plan, messages,
                                                                                     library, store, fake, clock):
    fake.fail_chats = {TEACHERS_CHAT_ID}
    with _client(fake, clock) as client:
        report = queue_messages(store, school, plan, messages, client, now=MONDAY_08, library=library)
        parts = len(messages[-1].text_parts)
        assert report.count("retry") == parts
        assert report.count("failed") == 0
        waiting = store.list("message", status="queued")
        assert len(waiting) == parts
        assert all("HTTP 500" in r.payload["error"] for r in waiting)
        assert {r.columns["due_at"] for r in waiting} == {"2026-12-14T03:01:00.000000+00:00"}  # back-off: 1 min
        fake.fail_chats = set()  # MAX answers again: the outbox drains by itself, nothing is composed again
        retry = send_due(store, client, now=datetime(2026, 12, 14, 8, 2, tzinfo=TZ), library=library)
    assert retry.count("sent") == parts
    assert store.list("message", status="queued") == []
    assert store.list("message", status="failed") == []


def test_outbox_max_down_then_back_sends_each_part_once_across_a_restart(school, plan, messages, library, tmp_path,
                                                                         fake, clock):
    """MAX answers 503 (a local HTTP server): every part is kept; after MAX is back and the sender restarted
    (a new store connection and client), each part is sent exactly once."""
    data = tmp_path / "outbox"
    chosen = messages[:3]
    texts = [t for m in chosen for t in m.text_parts]
    fake.script = [(503, {})] * 500
    with Store.open(data) as store, MaxClient(TOKEN, base_url=fake.base_url, send=True, clock=clock,
                                              sleep=clock.sleep, max_retries=0) as client:
        report = queue_messages(store, school, plan, chosen, client, now=MONDAY_08, library=library)
        assert report.count("retry") == len(texts)
        assert report.count("sent") == 0
        again = send_due(store, client, now=datetime(2026, 12, 14, 8, 1, 30, tzinfo=TZ), library=library)
        assert again.count("retry") == len(texts)  # still down: kept, next try after 2 minutes
        assert {r.payload["tries"] for r in store.list("message")} == {2}
    down_requests = len(fake.requests)
    fake.script = []  # MAX is back
    with Store.open(data) as store, MaxClient(TOKEN, base_url=fake.base_url, send=True, clock=clock,
                                              sleep=clock.sleep, max_retries=0) as client:  # the sender restarted
        assert send_due(store, client, now=datetime(2026, 12, 14, 8, 2, tzinfo=TZ), library=library).deliveries == []
        back = send_due(store, client, now=datetime(2026, 12, 14, 8, 4, tzinfo=TZ), library=library)
        assert back.count("sent") == len(texts)
        assert send_due(store, client, now=datetime(2026, 12, 14, 9, 0, tzinfo=TZ), library=library).deliveries == []
        assert queue_messages(store, school, plan, chosen, client, now=datetime(2026, 12, 14, 9, 0, tzinfo=TZ),
                              library=library).count("skipped") == len(texts)
    delivered = [r["body"]["text"] for r in fake.requests[down_requests:] if r["method"] == "POST"]
    assert sorted(delivered) == sorted(texts)  # each part exactly once


def test_late_delivery_is_flagged_for_a_2130_queue_before_an_0800_call(school, plan, messages, library):
    from planner.publish.chat.late import late_deliveries

    sunday_2130 = datetime(2026, 12, 13, 21, 30, tzinfo=TZ)  # the injected clock: the evening before the plan
    firsts = {m.chat_key: min(o.start or o.regular_start for o in plan.occurrences
                              if o.mode != Mode.IN_SCHOOL and (m.chat_key == "teachers"
                                                               or f"class:{o.class_id}" == m.chat_key))
              for m in messages}
    assert firsts["class:5A"] == MONDAY_08  # 5A's first announced lesson is the 08:00 call
    late = {w.chat_key: w for w in late_deliveries(school, plan, messages, now=sunday_2130, library=library)}
    assert "class:5A" in late
    assert late["class:5A"].first_lesson == MONDAY_08
    assert set(late) == {k for k, t in firsts.items() if t <= MONDAY_08}
    assert all(w.delivery == MONDAY_08 for w in late.values())  # business hours open at 08:00 (000 §5.1)
    assert "придёт 14.12 08:00" in late["class:5A"].text_ru(TZ)
    # queued on Friday at 19:00, inside business hours, it goes out at once: nothing is late
    assert late_deliveries(school, plan, messages, now=datetime(2026, 12, 11, 19, 0, tzinfo=TZ), library=library) == []


def test_cli_flags_late_delivery_before_queueing(plan_file, tmp_path, capsys):
    args = ["messages", str(SOURCE), str(plan_file), "--data-dir", str(tmp_path / "d"), "--now", "2026-12-13T21:30"]
    assert main(args) == 3
    err = capsys.readouterr().err
    assert "late: class:5A" in err
    assert "--urgent-category" in err
    assert main([*args, "--accept-late"]) == 0
    assert "would queue" in capsys.readouterr().out


def test_a_chat_without_id_or_link_fails_clearly(school, plan, library, store, fake, clock):
    msgs = [m for m in compose_messages(school, plan) if m.chat_key == "teachers"]
    with _client(fake, clock) as client:
        report = queue_messages(store, school, plan, msgs, client, now=MONDAY_08, library=library)
    assert report.count("failed") == len(msgs[0].text_parts)
    assert "neither a chat_id nor an invite link" in report.deliveries[0].error
    assert fake.requests == []


# ---------------------------------------------------------------- CLI


class _FakeTime:
    """Stands in for the time module inside max_api, so the CLI's rate limiter does not really sleep."""

    def __init__(self) -> None:
        self.clock = FakeClock()

    def monotonic(self) -> float:
        return self.clock()

    def sleep(self, seconds: float) -> None:
        self.clock.sleep(seconds)


def test_cli_queue_then_send_due(plan_file, fake, tmp_path, monkeypatch, capsys, messages):
    monkeypatch.setattr(max_api, "time", _FakeTime())
    token = tmp_path / "token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    common = ["--data-dir", str(tmp_path / "d"), "--api-base", fake.base_url]
    send = ["--send", "--token-file", str(token)]
    args = ["messages", str(SOURCE), str(plan_file), *common, "--teachers-chat-id", TEACHERS_CHAT_ID]
    assert main([*args, "--now", "2026-12-12T21:00", "--preview"]) == 3  # late for Monday 08:00: flagged first
    capsys.readouterr()
    args.append("--accept-late")
    assert main([*args, "--now", "2026-12-12T21:00", "--preview"]) == 0  # dry run
    out = capsys.readouterr().out
    assert "===== class:5A 1/" in out  # 1/N: the class message may be split
    assert "would queue" in out
    assert "dry run" in out
    assert main([*args, *send, "--now", "2026-12-12T21:00"]) == 0
    assert fake.requests == []
    assert f"{_parts(messages)} queued" in capsys.readouterr().out
    assert main(["messages", "--send-due", *common, "--now", "2026-12-14T08:05+05:00"]) == 0  # dry run
    assert fake.requests == []
    assert f"{_parts(messages)} would send" in capsys.readouterr().out
    assert main(["messages", "--send-due", *common, *send, "--now", "2026-12-14T08:05+05:00"]) == 0
    out = capsys.readouterr().out
    assert f"{_parts(messages)} sent" in out
    assert "resolved chat_id" in out
    assert len(fake.posts()) == _parts(messages)
    assert all(r["headers"]["Authorization"] == TOKEN for r in fake.requests)
    assert main(["messages", "--send-due", *common, *send, "--now", "2026-12-14T09:00+05:00"]) == 0
    assert "nothing to send" in capsys.readouterr().out
    assert len(fake.posts()) == _parts(messages)


def test_cli_urgent_sends_at_once(plan_file, fake, tmp_path, monkeypatch, capsys, messages):
    monkeypatch.setattr(max_api, "time", _FakeTime())
    monkeypatch.setenv("MAX_BOT_TOKEN", TOKEN)
    data = tmp_path / "d"
    assert main(["messages", str(SOURCE), str(plan_file), "--data-dir", str(data), "--api-base", fake.base_url,
                 "--send", "--urgent", "--urgent-category", "emergency", "--now", "2026-12-14T06:30", "--teachers-chat-id", TEACHERS_CHAT_ID]) == 0
    assert "URGENT" in capsys.readouterr().out
    assert len(fake.posts()) == _parts(messages)
    with Store.open(data) as s:
        assert all(r.payload["urgent"] and r.columns["status"] == "sent" for r in s.list("message"))


def test_cli_refuses_bad_arguments(plan_file, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MAX_BOT_TOKEN", raising=False)
    data = ["--data-dir", str(tmp_path / "d")]
    assert main(["messages", str(SOURCE), str(plan_file), *data, "--send"]) == 2  # no token
    assert main(["messages", *data]) == 2  # neither SOURCE/PLAN nor --send-due
    assert main(["messages", "--send-due", *data, "--now", "2026-12-14T08:00"]) == 2  # no offset
    assert main(["messages", str(SOURCE / "school.xlsx"), str(plan_file), *data]) == 0  # same school from XLSX
    assert main(["messages", str(ROOT / "sample_data" / "college-ptk"), str(plan_file), *data]) == 2
    assert "another school" in capsys.readouterr().err


def test_send_due_keeps_parts_queued_while_the_window_is_closed(school, plan, messages, library, store, fake, clock):
    """A late cron run (Monday 22:00) sends nothing; the same parts go out when the window opens."""
    store.save_school(school, None)
    with _client(fake, clock) as client:
        queue_messages(store, school, plan, messages[:1], client, now=SATURDAY_21, library=library)
        late = send_due(store, client, now=datetime(2026, 12, 14, 22, 0, tzinfo=TZ), library=library)
        assert late.deliveries == []
        assert fake.requests == []
        morning = send_due(store, client, now=datetime(2026, 12, 15, 8, 5, tzinfo=TZ), library=library)
    assert morning.count("sent") == len(messages[0].text_parts)
    assert len(fake.posts()) == len(messages[0].text_parts)


# ------------------------------------------------------------------ roles, registry, personal and changes-only


def _with_roles(school):
    from planner.school.model import ChatLink, ResponsiblePerson

    teachers = [t.model_copy(update={"contact": "+7 342 111-11-11"}) if t.id == "T-PHY1" else t
                for t in school.teachers]
    who = next(t for t in teachers if t.id == "T-PHY1")
    classes = [c.model_copy(update={"curator": "T-PHY1"}) if c.id == "5A" else c for c in school.classes]
    chats = [*school.chats, ChatLink(class_id="5A", kind="parents", invite_link="https://max.ru/join/parents5A"),
             ChatLink(kind="teachers", invite_link="https://max.ru/join/teachersroom", chat_id="-900")]
    teachers = [t.model_copy(update={"max_chat_id": "-77"}) if t.id == "T-MAT1" else t for t in teachers]
    responsible = [ResponsiblePerson(role="platform_admin", name="Орлов О. О.", contact="admin@school17.ru")]
    return school.model_copy(update={"teachers": teachers, "classes": classes, "chats": chats,
                                     "responsible": responsible}), who


def test_families_are_told_whom_to_contact_and_get_the_message_in_their_chat(school, plan):
    roled, curator = _with_roles(school)
    msgs = {m.chat_key: m for m in compose_messages(roled, plan)}
    text = msgs["class:5A"].text
    assert (f"Если звонок не работает, обращайтесь: куратор {curator.name}, +7 342 111-11-11; администратор "
            "Сферума Орлов О. О., admin@school17.ru.") in text
    assert msgs["parents:5A"].text_parts == msgs["class:5A"].text_parts
    assert msgs["parents:5A"].invite_link == "https://max.ru/join/parents5A"
    assert "куратор" not in msgs["class:5B"].text  # 5B has no curator: only the administrator
    assert "администратор Сферума Орлов" in msgs["class:5B"].text
    # the teachers' chat comes from the school's registry, not from a flag on every send
    assert msgs["teachers"].chat_id == "-900"
    assert msgs["teachers"].invite_link == "https://max.ru/join/teachersroom"


def test_each_teacher_with_a_max_dialog_gets_their_own_calls_tasks_and_cover(school, plan):
    roled, _ = _with_roles(school)
    assert not [m for m in compose_messages(roled, plan) if m.chat_key.startswith("teacher:")]
    msgs = {m.chat_key: m for m in compose_messages(roled, plan, personal=True)}
    mine = msgs["teacher:T-MAT1"]
    assert mine.chat_id == "-77"
    assert [k for k in msgs if k.startswith("teacher:")] == ["teacher:T-MAT1"]
    own = [o for o in plan.occurrences if "T-MAT1" in o.teachers and o.mode != Mode.IN_SCHOOL]
    live = [o for o in own if o.mode == Mode.LIVE]
    assert live
    assert all(o.link in mine.text for o in live if o.link)
    other = [o for o in plan.occurrences if o.mode == Mode.LIVE and "T-MAT1" not in o.teachers and o.link
             and o.link not in {x.link for x in live}]
    assert other
    assert not any(o.link in mine.text for o in other)


def test_a_replan_sends_only_to_the_chats_whose_lessons_changed(school, library):
    base = rebuild(school, scenario_from_toml(SOURCE / "scenarios" / "01-frost-whole-school.toml"), library)
    replan = rebuild(school, scenario_from_toml(SOURCE / "scenarios" / "11-frost-replan-sick-day2.toml"), library,
                     published=base)
    full = {m.chat_key: m for m in compose_messages(school, replan)}
    delta = {m.chat_key: m for m in compose_messages(school, replan, previous=base)}

    def seen(plan, class_id):  # what a class's message shows: mode, times, teachers, link per lesson part
        return {(o.key, o.part, o.mode, o.start, o.end, tuple(o.teachers), o.link) for o in plan.occurrences
                if o.class_id == class_id}

    changed = {f"class:{c.id}" for c in school.classes if seen(base, c.id) != seen(replan, c.id)}
    assert changed
    assert len(changed) < len(school.classes)  # the sick teacher's classes, not the whole school
    assert set(delta) - {"teachers"} == changed
    sick_classes = {f"class:{c}" for le in school.lessons if "T-RUS1" in le.teachers for c in le.classes}
    assert sick_classes <= changed
    for key in changed:
        assert "Пн 07.12.2026" not in delta[key].text  # the frozen Monday did not change
        assert "Изменилось по сравнению с предыдущим сообщением" in delta[key].text
        assert len(delta[key].text) < len(full[key].text)


def test_the_page_warns_of_late_delivery_in_russian(school, plan, messages, library):
    from planner.ui.publish_view import late_text

    text = late_text(school, plan, messages, library, now=datetime(2026, 12, 13, 21, 30, tzinfo=TZ))
    assert "чат класса 5А: сообщение придёт 14.12 08:00" in text
    assert "п. 5.1" in text
    assert "чат учителей: сообщение придёт" in text
    assert late_text(school, plan, messages, library, now=datetime(2026, 12, 11, 19, 0, tzinfo=TZ)) is None


def test_messages_and_feeds_show_the_colleague_who_covers_an_absent_teachers_call(school, plan, messages):
    """Issue 14: the sick physics teacher's calls given by the free colleague appear in the class's message
    («замена: учитель отсутствует», never a health reason), in the teachers' chat as online cover, and in the
    feed events of the class and of the colleague."""
    from planner.publish.feeds.events import events_from_plan

    covered = [o for o in plan.occurrences if o.mode == Mode.LIVE and o.cover and o.cover.role == "online"]
    assert covered and {o.cover.teacher for o in covered} == {"T-PHY2"}
    colleague, absent = "Гусев Андрей Сергеевич", "Григорьев Виктор Юрьевич"
    for o in covered:
        text = next(m for m in messages if m.chat_key == f"class:{o.class_id}").text
        assert f"{o.start.astimezone(TZ):%H:%M}–{o.end.astimezone(TZ):%H:%M} Физика ({colleague}, замена: " \
               f"учитель отсутствует)" in text
        assert "болеет" not in text and "больн" not in text and "болезн" not in text
    teachers = next(m for m in messages if m.chat_key == "teachers").text
    assert "Онлайн-замены:" in teachers
    for o in covered:
        assert f"{o.start.astimezone(TZ):%H:%M}–{o.end.astimezone(TZ):%H:%M} {school.class_by_id(o.class_id).name} " \
               f"Физика — {colleague} (вместо: {absent})" in teachers
    events = {e.uid: e for e in events_from_plan(school, plan) if e.kind == "live"}
    cover_events = [e for e in events.values() if "Замена: учитель отсутствует, онлайн-урок ведёт" in e.description]
    assert len(cover_events) == len(covered)
    assert all("T-PHY2" in e.teachers and colleague in e.description for e in cover_events)
    assert not any("болезн" in e.description or "больн" in e.description for e in events.values())
