"""One loader for every face (issue 10): the CLI's SOURCE options and the «Школа» page's fields are the same typed
`SourceOptions`, read by `planner.importers.load_school`; neither face parses a hint itself."""

from __future__ import annotations

import pytest

import fet_small
from planner.cli import _load, build_parser, source_options
from planner.errors import InputError
from planner.importers import ImportOptions, SourceOptions, load_school
from planner.importers.hints import Level
from planner.ui.importing import page_source_options, read_group


@pytest.fixture
def fet_file(tmp_path):
    folder = tmp_path / "upload"
    folder.mkdir()
    name, students, _ = fet_small.YEARS[0]
    xml = fet_small.small_fet_xml()
    counted = f"<Name>{name}</Name><Number_of_Students>{students}</Number_of_Students>"
    assert counted in xml
    path = folder / "school.fet"  # the first class's pupils are not in the file: the school gives them
    path.write_text(xml.replace(counted, f"<Name>{name}</Name><Number_of_Students>0</Number_of_Students>"),
                    encoding="utf-8")
    return path


def _cli_args(*argv: str):
    return build_parser().parse_args(["audit", *argv])


def test_the_cli_and_the_page_upload_load_the_same_school_from_the_same_texts(fet_file):
    name = fet_small.YEARS[0][0]  # «5-А», no pupil count in the file
    args = _cli_args(str(fet_file), "--pupils", f"{name}=17", "--grades", f"{name}=6")
    options = source_options(args)
    assert isinstance(options, SourceOptions) and options.pupils == f"{name}=17" and options.grades == f"{name}=6"
    cli = _load(args).school
    page = read_group(fet_file.parent, [fet_file.name], "загруженные файлы",
                      page_source_options(pupils=f"{name}=17", grades=f"{name}=6"))
    assert "error" not in page, page
    assert page["school"] == cli.model_dump(mode="json")
    klass = next(c for c in cli.classes if c.name == name)
    assert (klass.students, klass.grade) == (17, 6)  # the texts reached the importer
    # and the same as the library called with the values themselves
    direct = load_school(fet_file, ImportOptions(pupils={name: 17}, grades={name: Level(grade=6)})).school
    assert direct.model_dump(mode="json") == page["school"]


def test_a_bad_hint_is_refused_by_the_loader_naming_where_it_was_typed(fet_file):
    with pytest.raises(InputError) as err:
        _load(_cli_args(str(fet_file), "--pupils", "7А=ноль"))
    assert "--pupils" in err.value.text("en") and "«ноль» — не число учеников" in err.value.text("ru")
    page = read_group(fet_file.parent, [fet_file.name], "загруженные файлы", page_source_options(pupils="7А=ноль"))
    assert "Число учеников" in page["error"] and "«ноль» — не число учеников" in page["error"]
    assert "--pupils" not in page["error"]


def test_hint_files_and_texts_merge_in_the_loader(tmp_path, fet_file):
    name = fet_small.YEARS[0][0]
    pupils_csv = tmp_path / "pupils.csv"
    pupils_csv.write_text(f"class,pupils\n{name},30\n", encoding="utf-8")

    def students(*argv: str) -> int:
        school = _load(_cli_args(str(fet_file), "--pupils-file", str(pupils_csv), *argv)).school
        return next(c.students for c in school.classes if c.name == name)

    assert students() == 30  # the school's file
    assert students("--pupils", f"{name}=12") == 12  # the text wins over the file for its class
