"""Every workflow lives once in `planner` (issue 10): text and AST searches over planner/ and app_pages/ hold the
one-implementation rule for the pieces that used to exist in several versions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "planner").rglob("*.py"), *(ROOT / "app_pages").rglob("*.py"), ROOT / "streamlit_app.py"])


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _attribute_compares(path: Path, attr: str) -> list[int]:
    """Lines where `<x>.<attr>` takes part in a comparison."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Attribute) and side.attr == attr:
                    lines.append(node.lineno)
    return lines


def test_the_plan_for_school_comparison_lives_only_in_its_function():
    hits = {_rel(p): _attribute_compares(p, "school_fingerprint") for p in SOURCES}
    hits = {k: v for k, v in hits.items() if v}
    assert list(hits) == ["planner/plan/ownership.py"], hits


def test_source_options_are_defined_once():
    hits = [_rel(p) for p in SOURCES if '"--timezone"' in p.read_text(encoding="utf-8")]
    assert hits == ["planner/cli.py"]
    text = (ROOT / "planner" / "cli.py").read_text(encoding="utf-8")
    assert text.count('add_argument("--timezone"') == 1 and text.count('add_argument("--bell-minutes"') == 1


def test_the_admin_feed_label_is_defined_once():
    hits = [_rel(p) for p in SOURCES if '"Администрация"' in p.read_text(encoding="utf-8")]
    assert hits == ["planner/publish/feeds/issuing.py"], hits


def test_feed_tokens_are_created_through_one_workflow():
    """Only the token store itself and `create_feed_token`/`ensure_default_tokens` call TokenStore.create."""
    callers = []
    for p in SOURCES:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "create"
                    and ("TokenStore" in ast.unparse(node.func.value) or ast.unparse(node.func.value) == "tokens")):
                callers.append(_rel(p))
    assert callers == ["planner/publish/feeds/issuing.py"], callers


def test_environment_variables_are_read_only_in_the_settings_module():
    hits = [_rel(p) for p in SOURCES
            if any(w in p.read_text(encoding="utf-8") for w in ("os.environ", "getenv(", "environ.get("))]
    assert hits == ["planner/settings.py"], hits


def test_files_are_replaced_only_by_the_atomic_write_helper():
    hits = [_rel(p) for p in SOURCES
            if any(w in p.read_text(encoding="utf-8") for w in ("os.replace(", "os.rename(", ".replace(out)"))]
    assert hits == ["planner/fileio.py"], hits
