"""Bounds on what an import may read, so that a hostile or broken file is refused quickly with a clear message
instead of taking minutes and gigabytes:
- every file read is a regular file (a FIFO, a device or a socket would block or never end) of at most
  MAX_SOURCE_BYTES; a CSV folder's table files together too;
- an XLSX workbook (a zip) is checked from its directory before anything is unpacked: at most MAX_ZIP_ENTRIES
  entries, MAX_XLSX_UNCOMPRESSED bytes unpacked in all, and no entry packed more than MAX_ZIP_RATIO times
  (a zip bomb). The sizes in the directory bind: Python's zipfile never unpacks more than an entry declares;
- a table has at most MAX_TABLE_ROWS rows and a cell at most MAX_CELL_CHARS characters.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import InputError, Location

if TYPE_CHECKING:
    import pandas as pd

MiB = 1024 * 1024
MAX_SOURCE_BYTES = 50 * MiB
MAX_XLSX_UNCOMPRESSED = 200 * MiB
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 1000
MAX_TABLE_ROWS = 100_000
MAX_CELL_CHARS = 4096


def regular_file_size(path: Path) -> int:
    """The size of a regular file (symbolic links followed); InputError for anything else. Never opens it."""
    where = Location(file=str(path))
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(f"cannot open the file: {exc.strerror or exc}", f"не удаётся открыть файл: "
                         f"{exc.strerror or exc}", where) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a pipe, device or folder is not read)",
                         "это не обычный файл (канал, устройство или папка не читаются)", where)
    return info.st_size


def check_source_file(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> int:
    size = regular_file_size(path)
    if size > max_bytes:
        raise InputError(f"the file is larger than the {max_bytes // MiB} MiB limit",
                         f"файл больше допустимых {max_bytes // MiB} МиБ", Location(file=str(path)))
    if size == 0:
        raise InputError("the file is empty", "файл пуст", Location(file=str(path)))
    return size


def check_csv_folder(files: list[Path], max_bytes: int = MAX_SOURCE_BYTES) -> None:
    """Each table file regular, all together at most max_bytes."""
    total = 0
    for f in files:
        total += regular_file_size(f)
        if total > max_bytes:
            raise InputError(f"the CSV files are larger than the {max_bytes // MiB} MiB limit together",
                             f"файлы CSV вместе больше допустимых {max_bytes // MiB} МиБ", Location(file=str(f)))


def check_xlsx_zip(path: Path) -> None:
    """Refuse a workbook whose zip directory promises too much (read from the directory only: milliseconds)."""
    where = Location(file=str(path))
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"cannot read the workbook: {exc}", f"не удаётся прочитать книгу Excel: {exc}", where) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise InputError(f"the workbook has {len(infos)} parts, more than {MAX_ZIP_ENTRIES}",
                         f"в книге {len(infos)} частей — больше {MAX_ZIP_ENTRIES}", where)
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise InputError(f"the workbook unpacks to {total // MiB} MiB, more than the {MAX_XLSX_UNCOMPRESSED // MiB} "
                         "MiB limit (a zip bomb?)", f"книга распаковывается в {total // MiB} МиБ — больше допустимых "
                         f"{MAX_XLSX_UNCOMPRESSED // MiB} МиБ", where)
    for i in infos:
        if i.file_size > MiB and i.file_size > MAX_ZIP_RATIO * max(1, i.compress_size):
            raise InputError(f"part {i.filename} of the workbook is packed {i.file_size // max(1, i.compress_size)} "
                             f"times, more than {MAX_ZIP_RATIO} (a zip bomb?)", f"часть {i.filename} книги сжата в "
                             f"{i.file_size // max(1, i.compress_size)} раз — больше {MAX_ZIP_RATIO}", where)


def check_frame(frame: pd.DataFrame, file: str) -> None:
    """Row count and cell length of one table (pandas DataFrame of strings), vectorised."""
    if len(frame) > MAX_TABLE_ROWS:
        raise InputError(f"the table has {len(frame)} rows, more than the limit of {MAX_TABLE_ROWS}",
                         f"в таблице {len(frame)} строк — больше допустимых {MAX_TABLE_ROWS}", Location(file=file))
    for col in frame.columns:
        if len(str(col)) > MAX_CELL_CHARS:
            raise InputError(f"a column name is longer than {MAX_CELL_CHARS} characters",
                             f"название столбца длиннее {MAX_CELL_CHARS} символов", Location(file=file))
        lengths = frame[col].astype(str).str.len()
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            row = int(lengths.to_numpy().argmax())
            raise InputError(f"a cell is longer than {MAX_CELL_CHARS} characters",
                             f"ячейка длиннее {MAX_CELL_CHARS} символов",
                             Location(file=file, row=row + 2, field=str(col)))
