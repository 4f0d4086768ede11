"""Публикация: the page states what it offers and which library calls it uses or still waits for."""

from __future__ import annotations


def test_publish_page_renders(app):
    app.switch_page("app_pages/publish.py").run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Публикация"]
