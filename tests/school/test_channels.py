"""Only the official channel (000 §2.2, 003 annex 2) and urgent categories (000 §5.1)."""

from pathlib import Path

import pytest
from builders import make_school

from planner.errors import InputError
from planner.importers.tabular import read_csv_folder, school_from_frames, write_csv_folder
from planner.school.channels import (
    add_urgent_category,
    allow_domain,
    link_refusal,
    urgent_category,
    urgent_choices,
)
from planner.school.integrity import find_problems
from planner.school.model import ChatKind, ChatLink


@pytest.mark.parametrize("url, service", [("https://t.me/joinchat/abc", "Telegram"),
                                          ("https://wa.me/79001234567", "WhatsApp"),
                                          ("https://chat.whatsapp.com/x", "WhatsApp"),
                                          ("https://discord.gg/abc", "Discord")])
def test_annex_2_services_are_refused_citing_annex_2(url, service):
    r = link_refusal(url)
    assert r is not None and r.service == service
    assert "приложение 2" in r.message_ru and service in r.message_ru and "annex 2" in r.message_en


def test_other_domains_are_refused_citing_section_2_2():
    r = link_refusal("https://us02web.zoom.us/j/123")
    assert r is not None and r.service is None
    assert "п. 2.2" in r.message_ru and "section 2.2" in r.message_en and "zoom.us" in r.message_ru


@pytest.mark.parametrize("url", ["https://max.ru/join/abc", "https://web.max.ru/c/1", "https://sferum.ru/?call=1"])
def test_max_and_sferum_are_allowed(url):
    assert link_refusal(url) is None


def test_a_lookalike_domain_is_not_max():
    assert link_refusal("https://evilmax.ru/join/abc") is not None
    assert link_refusal("https://max.ru.evil.com/join/abc") is not None


def _school_with_chat(link: str):
    school = make_school({1: ["algebra"]})
    return school.model_copy(update={"chats": [ChatLink(class_id="C", invite_link=link)]})


def test_a_forbidden_link_is_refused_on_import_naming_the_row(tmp_path: Path):
    school = _school_with_chat("https://max.ru/join/ok")
    write_csv_folder(school, tmp_path)
    chats = tmp_path / "chats.csv"
    chats.write_text(chats.read_text() + "C,algebra,https://t.me/+abcdef,,,,\n", encoding="utf-8")
    frames, where = read_csv_folder(tmp_path)
    with pytest.raises(InputError) as err:
        school_from_frames(frames, where, str(tmp_path))
    assert err.value.location.row == 3 and err.value.location.field == "invite_link"
    assert "chats.csv" in err.value.location.file and "Telegram" in err.value.text("ru")
    assert "приложение 2" in err.value.text("ru")


def test_an_allowed_policy_domain_is_accepted_and_recorded(tmp_path: Path):
    school = _school_with_chat("https://telemost.yandex.ru/j/123")
    assert [p.field for p in find_problems(school)] == ["invite_link"]
    allowed = allow_domain(school, "telemost.yandex.ru", "Иванова И. И., приказ № 12", reason="резерв")
    assert find_problems(allowed) == []
    rec = allowed.channel_policy.allowed_domains[0]
    assert (rec.domain, rec.allowed_by, rec.reason) == ("telemost.yandex.ru", "Иванова И. И., приказ № 12", "резерв")
    # the permission travels with the school's files
    write_csv_folder(allowed, tmp_path)
    frames, where = read_csv_folder(tmp_path)
    back, _ = school_from_frames(frames, where, str(tmp_path))
    assert back.channel_policy.allowed_domains == allowed.channel_policy.allowed_domains
    assert back.chats == allowed.chats


def test_a_school_cannot_allow_an_annex_2_service():
    with pytest.raises(InputError, match="Telegram"):
        allow_domain(_school_with_chat("https://max.ru/join/x"), "t.me", "директор")
    with pytest.raises(InputError):
        allow_domain(_school_with_chat("https://max.ru/join/x"), "example.ru", " ")


def test_chat_kinds_need_a_class_or_none():
    assert ChatLink(invite_link="https://max.ru/join/t", kind="teachers").chat_kind == ChatKind.TEACHERS
    assert ChatLink(class_id="C", subject_id="algebra", invite_link="https://max.ru/j").chat_kind == ChatKind.SUBJECT
    with pytest.raises(ValueError):
        ChatLink(class_id="C", invite_link="https://max.ru/join/t", kind="teachers")
    with pytest.raises(ValueError):
        ChatLink(invite_link="https://max.ru/join/t", kind="parents")


def test_urgent_needs_a_category_from_5_1_or_the_school():
    school = make_school({1: ["algebra"]})
    with pytest.raises(InputError, match="5.1"):
        urgent_category(None, school.channel_policy)
    with pytest.raises(InputError):
        urgent_category("frost", school.channel_policy)
    assert urgent_category("life_health", school.channel_policy).name == "угроза жизни/здоровью"
    frost = add_urgent_category(school, "frost", "актированный день (мороз)", "директор Петров П. П.",
                                reason="угроза здоровью при −30 °C")
    choice = urgent_category("frost", frost.channel_policy)
    assert choice.source.startswith("школа: директор Петров")
    assert {c.id for c in urgent_choices(frost.channel_policy)} == {"life_health", "emergency", "frost"}


def test_a_forbidden_link_is_refused_on_edit_and_the_registry_fields_survive_an_edit():
    from planner.ui.school_edit import apply_chats, chats_edit_frame

    school = make_school({1: ["algebra"]})
    school = school.model_copy(update={"chats": [
        ChatLink(class_id="C", subject_id="algebra", invite_link="https://max.ru/join/a", admin="T-algebra"),
        ChatLink(invite_link="https://max.ru/join/t", kind="teachers")]})
    frame = chats_edit_frame(school)
    assert apply_chats(school, frame).chats == school.chats  # kind, admin and a class-less chat round-trip
    frame.loc[1, "Ссылка-приглашение"] = "https://zoom.us/j/1"
    with pytest.raises(InputError) as err:
        apply_chats(school, frame)
    assert err.value.location.element == "chats[1]" and err.value.location.field == "invite_link"
    assert "п. 2.2" in err.value.text("ru")
