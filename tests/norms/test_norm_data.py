"""The norm data: every number cited with a source and a confidence; the loader refuses malformed files."""

import tomllib
from datetime import date
from pathlib import Path

import pytest

from planner.errors import NormSetError
from planner.norms import NormLibrary, load_norm_set
from planner.norms.data import CONFIDENCES, DEFAULT_CONSTRAINTS_DIR, load_library

FILES = sorted(DEFAULT_CONSTRAINTS_DIR.glob("*.toml"))


def _numbers(node, path=()):
    """Yield (path, value, ancestors) for every number or HH:MM time in a TOML tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _numbers(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numbers(v, path + (i,))
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield path, node
    elif isinstance(node, str) and len(node) == 5 and node[2] == ":" and node.replace(":", "").isdigit():
        yield path, node


def _lookup(tree, path):
    for p in path:
        tree = tree[p]
    return tree


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_number_has_a_source_and_a_confidence(path):
    tree = tomllib.loads(path.read_text(encoding="utf-8"))
    assert tree["norm_set"]["sources"] and tree["norm_set"]["confidence"] in CONFIDENCES
    numbers = list(_numbers(tree.get("norms", {}), ("norms",)))
    assert numbers, "a norm file without numbers"
    for num_path, value in numbers:
        # walk up from the number to the nearest tables that carry 'confidence' and 'sources' and a clause
        confidence = sources = clause = None
        for depth in range(len(num_path) - 1, 0, -1):
            node = _lookup(tree, num_path[:depth])
            if isinstance(node, dict):
                confidence = confidence or node.get("confidence")
                sources = sources if sources is not None else node.get("sources")
                clause = clause or node.get("clause")
        assert confidence in CONFIDENCES, f"{path.name}:{num_path} = {value} has no confidence"
        assert sources is not None, f"{path.name}:{num_path} = {value} has no sources"
        assert clause, f"{path.name}:{num_path} = {value} has no clause"
        assert confidence != "X", "rejected values are never encoded"
        if sources == []:
            assert confidence == "M", f"{path.name}:{num_path}: a value without sources must be marked M"


def test_the_rejected_pc_school_day_values_are_not_encoded():
    """PC school-day 80/90/100/170 is marked X (the home and board columns confused)."""
    lib = NormLibrary.load()
    table = lib.in_force(date(2026, 12, 1)).get("eso.table_6_8")
    pc = {r.selectors["grades"]: r.values["school_day"] for r in table.rows if r.selectors["device"] == "pc"}
    assert pc == {"1-2": 40, "3-4": 50, "5-9": 60, "10-11": 70}


def test_norm_sets_pick_by_date_and_carry_a_lapsed_act_over():
    lib = NormLibrary.load()
    dec = lib.in_force(date(2026, 12, 1))
    assert {"sanpin-1.2.3685-21", "sp-2.4.3648-20"} <= set(dec.set_ids) and dec.missing_families == ()
    assert [s.id for s in dec.carried_over] == []
    jan = lib.in_force(date(2027, 1, 15))  # СП 2.4.3648-20 ends on 2027-01-01
    assert jan.missing_families == () and [s.id for s in jan.carried_over] == ["sp-2.4.3648-20"]
    assert "СП 2.4.3648-20" not in jan.acts_in_force() and "СанПиН 1.2.3685-21" in jan.acts_in_force()
    assert jan.get("weekly_load.max_hours").status == "in_force"
    mar = lib.in_force(date(2027, 3, 1))
    assert "СанПиН 1.2.3685-21" not in mar.acts_in_force()
    assert {s.id for s in mar.carried_over} == {"sanpin-1.2.3685-21", "sp-2.4.3648-20"}


def test_each_norm_names_act_clause_and_applies_to():
    for ns in load_library():
        for norm in ns.norms.values():
            assert norm.act and norm.clause and norm.applies_to and norm.rows, norm.key


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    return p


HEAD = """[norm_set]
id = "x"
family = "x"
act = "X"
valid_from = 2021-01-01
sources = ["A"]
confidence = "S2"
"""

NORM = """[norms."a.b"]
title_ru = "t"
clause = "п. 1"
unit = "minutes"
direction = "max"
applies_to = ["regular_day"]
fields = ["value"]
"""


def test_a_norm_without_sources_is_refused(tmp_path):
    p = _write(tmp_path, HEAD + NORM + 'confidence = "S2"\nrows = [{ value = 5 }]\n')
    with pytest.raises(NormSetError) as err:
        load_norm_set(p)
    assert "sources" in str(err.value) and "norms.a.b" in str(err.value) and "bad.toml" in str(err.value)


def test_a_malformed_number_is_refused(tmp_path):
    p = _write(tmp_path, HEAD + NORM + 'sources = ["A"]\nconfidence = "S2"\nrows = [{ value = "ten" }]\n')
    with pytest.raises(NormSetError) as err:
        load_norm_set(p)
    assert "malformed number" in str(err.value) and "rows[0]" in str(err.value) and "'value'" in str(err.value)


def test_an_unknown_confidence_is_refused(tmp_path):
    p = _write(tmp_path, HEAD + NORM + 'sources = ["A"]\nconfidence = "X"\nrows = [{ value = 5 }]\n')
    with pytest.raises(NormSetError, match="confidence"):
        load_norm_set(p)


def test_an_undeclared_number_is_refused(tmp_path):
    p = _write(tmp_path, HEAD + NORM + 'sources = ["A"]\nconfidence = "S2"\nrows = [{ value = 5, other = 3 }]\n')
    with pytest.raises(NormSetError, match="not a declared field"):
        load_norm_set(p)


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    with pytest.raises(NormSetError, match="invalid TOML"):
        load_norm_set(_write(tmp_path, "[norm_set\nid ="))
