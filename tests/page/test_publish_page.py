"""Публикация: a rebuilt plan (3А on quarantine) is published from the page; the class feed link (https and
webcal) is shown and served by the feed app; a revoked link disappears and stops working; the MAX preview
names 3А and is a dry run without a bot token; the ЭПОС workbook downloads; the history lists the publication."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from page.pagehelpers import ROOT, frame_with

from planner.importers import load_school
from planner.publish.feeds.files import feed_file_name
from planner.publish.feeds.server import create_app
from planner.storage import Store

SCENARIO = ROOT / "sample_data" / "school-17" / "scenarios" / "03-class-3A-tablets.toml"
PAGE = "app_pages/publish.py"


@pytest.fixture(scope="module")
def plan_3a(sample_plan):
    return sample_plan


@pytest.fixture
def page(app, plan_3a):
    """The sample school is stored (first start); the 3А plan is saved as Store kind 'plan'; the page opened."""
    Store.open().save("plan", "plan-3a", plan_3a.model_dump(mode="json"), None, school_id="school-17",
                      scenario_id="sc-3a", status=plan_3a.solver.status)
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def _publish(app):
    """«Опубликовать…» shows what will change and which plan; nothing is published before the confirmation."""
    before = len(Store.open().list("publication"))
    app.button(key="pub_publish").click().run()
    assert not app.exception, app.exception
    box = " ".join(m.value for m in app.markdown)
    assert "Подтвердите публикацию" in box
    assert "План: «" in box
    assert len(Store.open().list("publication")) == before  # the preview saved nothing
    app.button(key="pub_confirm_yes").click().run()
    assert not app.exception, app.exception
    return app


def _class_row(app, name="3А"):
    tokens = frame_with(app, "Подписка (webcal)")
    rows = tokens[(tokens["Вид"] == "класс") & (tokens["Для кого"] == name)]
    return tokens, rows


def test_without_a_plan_the_page_points_to_the_plan_page(app):
    app.switch_page(PAGE).run()
    assert not app.exception
    assert any("Сохранённых планов нет" in i.value for i in app.info)


def test_publishing_shows_counts_and_the_class_feed_links(page, data_dir):
    assert "Карантин в 3А" in page.selectbox(key="pub_plan").value
    assert not any("нет ссылки" in w.value for w in page.warning)  # every live lesson has its class chat's link
    # links on localhost: the page says plainly that families cannot open them, and how to fix it
    assert any("работают только на этом компьютере" in w.value and "Настройки" in w.value for w in page.warning)
    _publish(page)
    assert any("Опубликовано (публикация № 1)" in s.value for s in page.success)
    metrics = {m.label: m.value for m in page.metric}
    assert int(metrics["Новые"]) > 0
    assert metrics["Отменённые"] == "0"
    tokens, rows = _class_row(page)
    assert len(rows) == 1
    assert "Ссылка (https)" not in tokens.columns  # the address is http://localhost: the label says so
    https, webcal = rows.iloc[0]["Ссылка (http)"], rows.iloc[0]["Подписка (webcal)"]
    assert https.startswith("http://localhost:8501/feeds/")
    assert https.endswith(".ics")
    assert webcal.startswith("webcal://localhost:8501/feeds/")
    assert webcal.endswith(".ics")
    secret = https.rsplit("/", 1)[1].removesuffix(".ics")
    assert (data_dir / "feeds" / feed_file_name(secret)).exists()
    # the link works: the feed app (the same route the page's process serves) returns the class's calendar
    from starlette.testclient import TestClient
    body = TestClient(create_app(data_dir)).get(f"/feeds/{secret}.ics")
    assert body.status_code == 200
    assert "BEGIN:VCALENDAR" in body.text
    assert "3А" in body.text
    # the history lists the publication; publishing again changes nothing
    assert list(frame_with(page, "Опубликовано")["№"]) == [1]
    page.button(key="pub_publish").click().run()
    assert any("уже опубликован: календари не изменятся" in m.value for m in page.markdown)
    page.button(key="pub_confirm_yes").click().run()
    assert any("уже опубликован" in s.value for s in page.success)


def test_live_lessons_without_a_link_are_flagged_and_published_only_when_allowed(page, plan_3a):
    occs = [o.model_copy(update={"link": None}) if o.mode == "live" and o.class_id == "3A" else o
            for o in plan_3a.occurrences]
    no_links = plan_3a.model_copy(update={"occurrences": occs})
    Store.open().save("plan", "plan-3a-no-links", no_links.model_dump(mode="json"), None, school_id="school-17",
                      scenario_id="sc-3a", status="EDITED")
    page.run()
    from planner.ui.records import plan_labels
    label = next(lbl for lbl, i in plan_labels(Store.open(), "school-17").items() if i == "plan-3a-no-links")
    page.selectbox(key="pub_plan").set_value(label).run()
    live = sum(o.mode == "live" and o.class_id == "3A" for o in plan_3a.occurrences)
    assert any(f"У {live} онлайн-уроков нет ссылки" in w.value for w in page.warning)
    assert len(frame_with(page, "Учитель")) == live
    page.button(key="pub_publish").click().run()
    page.button(key="pub_confirm_yes").click().run()
    assert any("нет ссылки на звонок" in e.value and "Что сделать" in e.value for e in page.error)
    assert not Store.open().list("publication")
    page.checkbox(key="pub_allow_missing").check().run()
    _publish(page)
    assert any("Опубликовано (публикация № 1)" in s.value for s in page.success)


def test_a_chosen_link_shows_its_qr_code_and_webcal_form(page):
    _publish(page)
    label = next(o for o in page.selectbox(key="tok_pick").options if o.startswith("класс: 3А"))
    page.selectbox(key="tok_pick").set_value(label).run()
    codes = [c.value for c in page.code]
    assert any(c.startswith("webcal://") and "/feeds/" in c for c in codes)
    [qr] = page.get("image")
    assert qr.captions == ["QR-код подписки (webcal://)"]
    assert len(qr.value) == 1


def test_revoking_a_link_removes_it_and_the_feed_stops(page, data_dir):
    _publish(page)
    _, rows = _class_row(page)
    https = rows.iloc[0]["Ссылка (http)"]
    secret = https.rsplit("/", 1)[1].removesuffix(".ics")
    label = next(o for o in page.selectbox(key="tok_pick").options if o.startswith("класс: 3А"))
    page.selectbox(key="tok_pick").set_value(label).run()
    page.button(key="tok_revoke").click().run()
    assert not page.exception, page.exception
    assert any("Ссылка отозвана" in s.value for s in page.success)
    tokens, rows = _class_row(page)
    assert rows.empty
    assert https not in set(tokens["Ссылка (http)"])
    assert not (data_dir / "feeds" / feed_file_name(secret)).exists()
    from starlette.testclient import TestClient
    assert TestClient(create_app(data_dir)).get(f"/feeds/{secret}.ics").status_code == 404
    # shown with the revoked ones, marked
    page.checkbox(key="tok_show_revoked").check().run()
    tokens, rows = _class_row(page)
    assert len(rows) == 1
    assert rows.iloc[0]["Состояние"].startswith("отозвана")
    # rotating another link issues a new one for the same class
    label = next(o for o in page.selectbox(key="tok_pick").options if o.startswith("класс: 5А"))
    page.selectbox(key="tok_pick").set_value(label).run()
    page.button(key="tok_rotate").click().run()
    assert any("выдана новая" in s.value for s in page.success)
    page.checkbox(key="tok_show_revoked").uncheck().run()
    assert len(_class_row(page, "5А")[1]) == 1


def test_the_message_preview_names_3A_and_queueing_is_a_dry_run(page, monkeypatch):
    monkeypatch.delenv("MAX_BOT_TOKEN", raising=False)
    page.run()
    assert any("MAX_BOT_TOKEN" in i.value and "пробный прогон" in i.value for i in page.info)
    chats = frame_with(page, "Частей")
    assert "Чат класса 3А" in set(chats["Чат"])
    preview = " ".join(c.value for c in page.code)
    assert "3А — дистанционное обучение" in preview
    assert "Причина: карантин." in preview
    assert page.checkbox(key="msg_dry").value is True
    assert page.checkbox(key="msg_dry").disabled
    page.checkbox(key="msg_urgent").check().run()
    page.button(key="msg_queue").click().run()  # urgent without an emergency category (000 §5.1): refused
    assert any("категорию" in e.value and "5.1" in e.value for e in page.error)
    category = page.selectbox(key="msg_urgent_category")
    category.select_index(next(i for i, o in enumerate(category.options) if o.startswith("ЧС"))).run()
    page.button(key="msg_queue").click().run()
    assert not page.exception, page.exception
    assert not any("ничего не отправлено" in s.value for s in page.success)  # not before the confirmation
    box = " ".join(m.value for m in page.markdown if "Подтвердите отправку" in m.value)
    n = len(frame_with(page, "Частей"))
    assert "Пробный прогон: ничего не уйдёт" in box
    assert f"в {n} чат" in box
    assert "Карантин в 3А" in box
    page.button(key="msg_confirm_yes").click().run()
    assert any("Пробный прогон: ничего не отправлено" in s.value for s in page.success)
    deliveries = frame_with(page, "Результат")
    assert set(deliveries["Срочно"]) == {"да"}
    assert len(deliveries) >= 2
    assert not Store.open().list("message")  # a dry run stores nothing
    assert page.button(key="msg_send_due").disabled  # nothing queued: nothing to send


def test_the_epos_workbook_downloads(page):
    buttons = [b for b in page.get("download_button") if b.proto.label == "Скачать для ЭПОС (XLSX)"]
    assert len(buttons) == 1


def test_the_epos_workbook_has_the_plan_rows(plan_3a, tmp_path):
    # what the page's button serves: write_epos_workbook into a temporary file
    from planner.publish.ejournal.epos import write_epos_workbook
    school = load_school(ROOT / "sample_data" / "school-17").school
    out = tmp_path / "e.xlsx"
    write_epos_workbook(school, plan_3a, out)
    wb = load_workbook(io.BytesIO(Path(out).read_bytes()))
    assert wb.sheetnames == ["Уроки", "Журнал замен"]
    assert any(row[1] == "3А" for row in wb["Уроки"].iter_rows(min_row=2, values_only=True))


def test_a_public_address_from_the_settings_builds_the_links(page, data_dir):
    from planner.ui.view import write_setting
    write_setting(data_dir, "public_url", "https://raspisanie.school17.example.ru")
    page.run()
    assert not any("только на этом компьютере" in w.value for w in page.warning)
    _publish(page)
    _, rows = _class_row(page)
    assert rows.iloc[0]["Ссылка (https)"].startswith("https://raspisanie.school17.example.ru/feeds/")


def test_the_last_published_plan_is_offered_by_default_not_the_newest_what_if(page, plan_3a):
    _publish(page)
    what_if = plan_3a.model_copy(update={"created_at": plan_3a.created_at.replace(year=plan_3a.created_at.year + 1)})
    Store.open().save("plan", "plan-what-if", what_if.model_dump(mode="json"), None, school_id="school-17",
                      scenario_id="sc-3a", status="OPTIMAL")
    page.run()
    from planner.ui.records import plan_labels
    labels = plan_labels(Store.open(), "school-17")
    assert labels[next(iter(labels))] == "plan-what-if"  # the newest plan is the what-if
    assert labels[page.selectbox(key="pub_plan").value] == "plan-3a"  # but the published one is offered
    page.selectbox(key="pub_plan").set_value(next(iter(labels))).run()
    assert any("не тот план, что опубликован" in i.value for i in page.info)
