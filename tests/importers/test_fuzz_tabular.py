"""Fuzz the canonical importers (CSV folder, XLSX workbook, school JSON) with mutated copies of the sample:
only InputError may escape, and whatever is accepted is a valid school."""

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import mutate

from planner.errors import InputError
from planner.importers import load_school
from planner.school.integrity import find_problems

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "school-17"
FILES = sorted(p.name for p in SAMPLE.glob("*.csv"))


@pytest.fixture(scope="module")
def sample_json(tmp_path_factory) -> bytes:
    return load_school(SAMPLE).school.to_json().encode("utf-8")


def _load_or_refuse(path: Path) -> None:
    try:
        loaded = load_school(path)
    except InputError as err:
        assert err.message_en and err.message_ru
        return
    assert find_problems(loaded.school) == []


@settings(max_examples=500, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), victim=st.sampled_from(FILES))
def test_mutated_csv_tables(tmp_path_factory, seed, victim):
    folder = tmp_path_factory.mktemp("csv")
    for f in FILES:
        shutil.copy(SAMPLE / f, folder / f)
    (folder / victim).write_bytes(mutate((SAMPLE / victim).read_bytes(), random.Random(seed)))
    _load_or_refuse(folder)


@settings(max_examples=500, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32))
def test_mutated_school_json(tmp_path_factory, sample_json, seed):
    path = tmp_path_factory.mktemp("json") / "school.json"
    path.write_bytes(mutate(sample_json, random.Random(seed)))
    _load_or_refuse(path)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32))
def test_mutated_workbook(tmp_path_factory, seed):
    path = tmp_path_factory.mktemp("xlsx") / "school.xlsx"
    path.write_bytes(mutate((SAMPLE / "school.xlsx").read_bytes(), random.Random(seed)))
    _load_or_refuse(path)
