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


def test_source_hints_are_read_only_by_the_importers():
    """The CLI and the page hand the typed texts to `load_school` (SourceOptions); no face parses a hint."""
    readers = {"parse_bells", "parse_grades", "parse_pupils", "parse_subject_map", "read_bells_csv",
               "read_grades_csv", "read_pupils_csv", "read_subject_map"}
    callers = set()
    for p in SOURCES:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in readers:
                    callers.add(_rel(p))
    assert callers == {"planner/importers/options.py"}, callers


def test_the_cli_and_the_page_load_a_school_through_load_school():
    def calls(path: Path) -> set[str]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}

    assert "load_school" in calls(ROOT / "planner" / "cli.py")
    assert "load_school" in calls(ROOT / "planner" / "ui" / "importing.py")  # the page's upload path
    assert "load_school" in calls(ROOT / "app_pages" / "school.py")  # a path or a sample
    assert "ImportOptions" not in calls(ROOT / "planner" / "cli.py") | calls(ROOT / "app_pages" / "school.py")


def _store_calls(kinds: set[str]) -> dict[str, set[str]]:
    """Per store method (save / get / list): the modules that call it on one of `kinds` (a literal first
    argument) on a store (`store`, `self.store`, the page's `s` / `store()`)."""
    found: dict[str, set[str]] = {}
    for p in SOURCES:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("save", "get", "list") and node.args
                    and ast.unparse(node.func.value).split(".")[-1] in ("store", "s", "store()")
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value in kinds):
                found.setdefault(node.func.attr, set()).add(_rel(p))
    return found


def test_each_publishing_record_is_written_by_one_module():
    """Publishing by channel: publications and feed items are written only where a publication is recorded,
    chat parts only by the outbox, feed tokens only by the token store; the faces read them through those
    modules (planner.publish.feeds.publication, planner.publish.chat.outbox, planner.publish.feeds.tokens)."""
    assert _store_calls({"publication", "feed_item"}).get("save") == {"planner/publish/feeds/publication.py"}
    assert _store_calls({"message"}) == {k: {"planner/publish/chat/outbox.py"} for k in ("save", "get", "list")}
    assert _store_calls({"token"})["save"] == {"planner/publish/feeds/tokens.py"}
    readers = set().union(*_store_calls({"publication", "feed_item"}).values())
    assert all(r.startswith("planner/publish/feeds/") for r in readers), readers


def test_each_outside_service_has_one_client_module():
    def importers(module: str) -> list[str]:
        hits = []
        for p in SOURCES:
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                if any(n == module or n.startswith(module + ".") for n in names):
                    hits.append(_rel(p))
                    break
        return hits

    assert importers("httpx") == ["planner/publish/chat/max_api.py"]  # the MAX Bot API
    assert importers("caldav") == ["planner/publish/feeds/caldav.py"]  # CalDAV servers


def test_utc_conversion_and_formatting_live_only_in_planner_utc():
    """UTC text for storage, tokens, the outbox and CalDAV comparisons had four versions (issue 10)."""
    patterns = ("astimezone(timezone.utc)", "astimezone(UTC)", "isoformat(timespec")
    hits = [f"{_rel(p)}: {pat}" for p in SOURCES for pat in patterns if pat in p.read_text(encoding="utf-8")]
    assert hits == [f"planner/utc.py: {pat}" for pat in patterns if pat != "astimezone(UTC)"], hits


def test_scenarios_and_plans_are_stored_and_read_only_through_storage_records():
    """The page's rebuild job, scenario form and plan pages each wrote or read these records themselves (issue 10)."""
    hits = []
    for p in SOURCES:
        text = p.read_text(encoding="utf-8")
        for kind in ("plan", "scenario"):
            for verb in ("save", "get", "list", "delete"):
                if f'.{verb}("{kind}"' in text:
                    hits.append(_rel(p))
    assert sorted(set(hits)) == ["planner/storage/records.py"], hits
