"""Storage layer: data directory, alembic migrations, versioned records with optimistic locking."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from planner.errors import StaleSaveError
from planner.school.model import BellSchedule, BellVariant, Period, School, SchoolCalendar, StudentClass
from planner.storage import Record, Store, resolve_data_dir
from planner.storage import migrate, schema
from planner.storage.db import DB_FILE_NAME

TABLES = {"schools", "scenarios", "plans", "publications", "tokens", "feed_items", "messages"}


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path) as s:
        yield s


def _engine(data_dir: Path):
    return create_engine(f"sqlite:///{data_dir / DB_FILE_NAME}")


def _school(name: str = "Школа № 1") -> School:
    bells = BellSchedule(id="main", variants=[BellVariant(periods=[Period(number=1, start=time(8, 30), end=time(9, 15))])])
    return School(
        id="s1",
        name=name,
        timezone="Asia/Yekaterinburg",
        calendar=SchoolCalendar(year_start=date(2025, 9, 1), year_end=date(2026, 5, 31)),
        bell_schedules=[bells],
        classes=[StudentClass(id="5a", name="5А", grade=5, age_min=10, age_max=11, students=25, bell_schedule="main")],
        teachers=[],
        subjects=[],
        versions=[],
        lessons=[],
    )


# ---------------------------------------------------------------- data directory and migrations


def test_migrations_create_all_tables_with_sqlite_settings(tmp_path):
    Store.open(tmp_path).close()
    engine = _engine(tmp_path)
    try:
        insp = inspect(engine)
        assert TABLES <= set(insp.get_table_names())
        assert {"id", "version", "payload", "created_at", "updated_at", "school_id", "kind", "subject_id",
                "token_hash", "revoked_at"} <= {c["name"] for c in insp.get_columns("tokens")}
        assert any(ix["column_names"] == ["token_hash"] and ix["unique"] for ix in insp.get_indexes("tokens"))
        assert insp.get_foreign_keys("scenarios")[0]["referred_table"] == "schools"
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


def test_schema_module_matches_migrations(tmp_path):
    Store.open(tmp_path).close()
    engine = _engine(tmp_path)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), schema.metadata) == []
    finally:
        engine.dispose()


def test_reopening_keeps_data_and_stays_at_head(tmp_path):
    with Store.open(tmp_path) as s:
        s.save("school", "s1", {"a": 1}, None, name="One")
    with Store.open(tmp_path) as s:
        assert s.get("school", "s1").payload == {"a": 1}
    engine = _engine(tmp_path)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0003"]
        assert migrate.current_revision(engine) == migrate.head_revision() == "0003"
    finally:
        engine.dispose()


def test_open_from_another_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANNER_DATA_DIR", raising=False)
    with Store.open() as s:
        assert s.data_dir == tmp_path.resolve() / "data"
    assert (tmp_path / "data" / DB_FILE_NAME).is_file()


def test_data_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "from_env"))
    assert resolve_data_dir() == (tmp_path / "from_env").resolve()
    assert (tmp_path / "from_env").is_dir()
    assert resolve_data_dir(tmp_path / "explicit") == (tmp_path / "explicit").resolve()
    with Store.open() as s:
        s.save("school", "s1", {}, None, name="One")
    assert (tmp_path / "from_env" / DB_FILE_NAME).is_file()


def test_explicit_url_overrides_data_dir_file(tmp_path):
    other = tmp_path / "other.sqlite3"
    with Store.open(tmp_path / "d", url=f"sqlite:///{other}") as s:
        s.save("school", "s1", {}, None, name="One")
    assert other.is_file()
    assert not (tmp_path / "d" / DB_FILE_NAME).exists()


# ---------------------------------------------------------------- records


def test_create_get_list_round_trip(store):
    school = store.save("school", "s1", {"name": "Школа", "n": [1, 2]}, None, name="Школа", fingerprint="f1")
    assert isinstance(school, Record)
    assert (school.kind, school.id, school.version) == ("school", "s1", 1)
    assert school.created_at == school.updated_at and school.created_at.endswith("+00:00")
    assert store.get("school", "s1") == school
    assert store.get("schools", "s1") == school  # the table name is accepted too
    assert store.get("school", "missing") is None

    store.save("scenario", "b", {"x": 2}, None, school_id="s1", name="B")
    store.save("scenario", "a", {"x": 1}, None, school_id="s1", name="A")
    assert [r.id for r in store.list("scenario")] == ["a", "b"]
    assert [r.payload for r in store.list("scenario", name="B")] == [{"x": 2}]
    assert store.list("scenario", school_id="other") == []

    store.save("plan", "p1", {}, None, school_id="s1", status="draft")
    store.save("plan", "p2", {}, None, school_id="s1", scenario_id="a", status="draft")
    assert [r.id for r in store.list("plan", scenario_id=None)] == ["p1"]
    assert store.get("plan", "p2").columns == {"school_id": "s1", "scenario_id": "a", "status": "draft"}


def test_update_bumps_version_and_keeps_unnamed_columns(store):
    store.save("plan", "p1", {"v": 1}, None, school_id="s1", status="draft")
    updated = store.save("plan", "p1", {"v": 2}, 1, status="published")
    assert updated.version == 2
    assert updated.columns == {"school_id": "s1", "scenario_id": None, "status": "published"}
    assert store.save("plan", "p1", {"v": 3}, 2).version == 3
    assert store.get("plan", "p1").payload == {"v": 3}


def test_stale_save_refused_and_payload_unchanged(store):
    store.save("school", "s1", {"v": 1}, None, name="One")
    store.save("school", "s1", {"v": 2}, 1, name="One")
    with pytest.raises(StaleSaveError) as err:
        store.save("school", "s1", {"v": "stale"}, 1, name="Stale")
    assert (err.value.kind, err.value.record_id, err.value.expected, err.value.found) == ("school", "s1", 1, 2)
    assert err.value.message_ru
    stored = store.get("school", "s1")
    assert (stored.version, stored.payload, stored.columns["name"]) == (2, {"v": 2}, "One")


def test_two_tabs_editing_the_same_record(tmp_path):
    with Store.open(tmp_path) as tab1, Store.open(tmp_path) as tab2:
        tab1.save("school", "s1", {"v": 0}, None, name="One")
        base1, base2 = tab1.get("school", "s1"), tab2.get("school", "s1")
        tab1.save("school", "s1", {"v": "tab1"}, base1.version)
        with pytest.raises(StaleSaveError) as err:
            tab2.save("school", "s1", {"v": "tab2"}, base2.version)
        assert (err.value.expected, err.value.found) == (1, 2)
        assert tab2.get("school", "s1").payload == {"v": "tab1"}


def test_creating_an_existing_id_refused(store):
    store.save("school", "s1", {"v": 1}, None, name="One")
    with pytest.raises(StaleSaveError) as err:
        store.save("school", "s1", {"v": "again"}, None, name="Again")
    assert err.value.found == 1
    assert store.get("school", "s1").payload == {"v": 1}


def test_update_of_missing_record_refused(store):
    with pytest.raises(StaleSaveError) as err:
        store.save("school", "ghost", {}, 1, name="Ghost")
    assert err.value.found == 0
    assert store.get("school", "ghost") is None


def test_failing_save_leaves_previous_version(store, monkeypatch):
    store.save("school", "s1", {"v": 1}, None, name="One")
    with pytest.raises(TypeError):
        store.save("school", "s1", {"v": object()}, 1, name="Broken")
    # A failure after the UPDATE ran (while reading the row back) is rolled back too.
    def boom(cls, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Store, "_fetch", classmethod(boom))
    with pytest.raises(RuntimeError):
        store.save("school", "s1", {"v": 2}, 1, name="Two")
    monkeypatch.undo()
    stored = store.get("school", "s1")
    assert (stored.version, stored.payload, stored.columns["name"]) == (1, {"v": 1}, "One")
    assert store.save("school", "s1", {"v": 2}, 1, name="Two").version == 2


def test_foreign_keys_enforced(store):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        store.save("scenario", "sc1", {}, None, school_id="no-such-school", name="X")
    assert store.get("scenario", "sc1") is None


def test_unique_token_hash(store):
    from sqlalchemy.exc import IntegrityError

    store.save("token", "t1", {}, None, school_id="s1", kind="teacher", subject_id="u1", token_hash="h")
    assert store.get("token", "t1").columns["kind"] == "teacher"
    assert [r.id for r in store.list("token", kind="teacher")] == ["t1"]
    with pytest.raises(IntegrityError):
        store.save("token", "t2", {}, None, school_id="s1", kind="teacher", subject_id="u2", token_hash="h")
    assert [r.id for r in store.list("token")] == ["t1"]


def test_delete_checks_version(store):
    store.save("publication", "pub", {}, None, school_id="s1", plan_id="p1")
    store.save("publication", "pub", {"x": 1}, 1)
    with pytest.raises(StaleSaveError):
        store.delete("publication", "pub", 1)
    assert store.get("publication", "pub") is not None
    store.delete("publication", "pub", 2)
    assert store.get("publication", "pub") is None
    with pytest.raises(StaleSaveError) as err:
        store.delete("publication", "pub", 2)
    assert err.value.found == 0


def test_bad_kind_and_column_rejected(store):
    with pytest.raises(ValueError):
        store.get("teacher", "t1")
    with pytest.raises(ValueError):
        store.save("school", "s1", {}, None, name="One", colour="red")
    with pytest.raises(ValueError):
        store.list("plan", colour="red")
    with pytest.raises(TypeError):
        store.save("school", "s1", ["not", "a", "dict"], None, name="One")


# ---------------------------------------------------------------- school helpers


def test_save_and_load_school(store):
    school = _school()
    record = store.save_school(school, None)
    assert record.columns == {"name": "Школа № 1", "fingerprint": school.fingerprint()}
    assert store.load_school("s1") == school
    assert store.load_school("missing") is None

    renamed = school.model_copy(update={"name": "Лицей"})
    store.save_school(renamed, record.version)
    loaded, version = store.load_school_versioned("s1")
    assert (loaded.name, version) == ("Лицей", 2)
    with pytest.raises(StaleSaveError):
        store.save_school(school, record.version)
    assert store.load_school("s1").name == "Лицей"
    assert [r.id for r in store.list("school", fingerprint=renamed.fingerprint())] == ["s1"]


def test_a_database_at_0001_upgrades_to_head_keeping_its_records(tmp_path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'planner.sqlite3'}"
    command.upgrade(migrate.alembic_config(url), "0001")
    engine = _engine(tmp_path)
    try:
        assert migrate.current_revision(engine) == "0001"
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO schools (id, version, payload, created_at, updated_at, name) "
                              "VALUES ('s1', 1, '{}', 'x', 'x', 'Old')"))
    finally:
        engine.dispose()
    with Store.open(tmp_path) as s:  # opening upgrades to head
        assert s.get("school", "s1").columns["name"] == "Old"
        s.save("message", "m1", {"text": "x"}, None, school_id="s1", status="queued")
        assert s.get("message", "m1").columns["status"] == "queued"


def test_a_transaction_commits_together_or_not_at_all(tmp_path):
    with Store.open(tmp_path) as s:
        with s.transaction():
            s.save("school", "a", {"n": 1}, None, name="A")
            assert s.get("school", "a").payload == {"n": 1}  # reads see the transaction's own writes
            s.save("school", "b", {"n": 2}, None, name="B")
        assert {r.id for r in s.list("school")} == {"a", "b"}
        with pytest.raises(StaleSaveError):
            with s.transaction():
                s.save("school", "c", {"n": 3}, None, name="C")
                s.save("school", "a", {"n": 9}, 7, name="A")  # stale: the whole block rolls back
        assert {r.id for r in s.list("school")} == {"a", "b"} and s.get("school", "a").payload == {"n": 1}
