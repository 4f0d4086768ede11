"""Issue 11 (4): one link validator; a CR/LF or non-https link is refused at import and before publishing."""

from __future__ import annotations

import shutil

import pytest

from planner.errors import InputError
from planner.importers import load_school
from planner.plan.model import Mode
from planner.publish.feeds.workflow import publish_to_dir
from planner.school.links import LinkError, check_link
from planner.storage import Store

from .conftest import NOW, SAMPLE

BAD = ["https://max.ru/join/abc\r\nX-Evil: 1", "https://max.ru/join/abc\n", "javascript:alert(1)",
       "file:///etc/passwd", "http://max.ru/join/abc", "data:text/html,hi", "https:///nohost",
       "https://user:pw@max.ru/join/x", "https://max.ru/\x00x"]


@pytest.mark.parametrize("link", BAD)
def test_bad_links_are_refused(link):
    with pytest.raises(LinkError):
        check_link(link)


def test_allowed_domains_hook():
    assert check_link("https://web.max.ru/join/a", allowed_domains=["max.ru"])
    with pytest.raises(LinkError):
        check_link("https://evilmax.ru/join/a", allowed_domains=["max.ru"])


@pytest.mark.parametrize("link", ["https://max.ru/join/abc\r\nX: 1", "javascript:alert(1)", "file:///etc/passwd"])
def test_bad_chat_link_is_refused_at_import(tmp_path, link):
    src = tmp_path / "school"
    shutil.copytree(SAMPLE, src, ignore=shutil.ignore_patterns("scenarios", "school.xlsx"))
    lines = (src / "chats.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[2] = '"' + link + '"'
    lines[1] = ",".join(cells)
    (src / "chats.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_school(src)
    assert "chats.csv" in exc.value.text("en") and "link" in exc.value.text("en")


def test_publish_refuses_a_crlf_link_before_committing(tmp_path, school, plan01):
    live = next(i for i, o in enumerate(plan01.occurrences) if o.mode == Mode.LIVE)
    occ = list(plan01.occurrences)
    occ[live] = occ[live].model_copy(update={"link": "https://max.ru/join/x\r\nBEGIN:VEVENT"})
    bad = plan01.model_copy(update={"occurrences": occ})
    store = Store.open(tmp_path / "data")
    with pytest.raises(InputError, match="link"):
        publish_to_dir(store, school, bad, tmp_path / "feeds", NOW)
    assert store.list("publication") == [] and store.list("token") == []
    assert not (tmp_path / "feeds").exists()


def test_an_unsafe_link_already_in_a_plan_never_reaches_a_feed(school, plan01):
    """A publication recorded before links were checked: the feed leaves the link out instead of failing."""
    from planner.publish.feeds.events import events_from_plan

    live = next(i for i, o in enumerate(plan01.occurrences) if o.mode == Mode.LIVE and o.link)
    occ = list(plan01.occurrences)
    occ[live] = occ[live].model_copy(update={"link": "javascript:alert(1)"})
    events = events_from_plan(school, plan01.model_copy(update={"occurrences": occ}))
    assert events and not any("javascript:" in (e.link or "") + e.description + (e.location or "") for e in events)
