"""The one place where cells of the workbooks and CSV files the planner writes are made safe for spreadsheets.

Text in them comes from imported files (names, links), so text that a spreadsheet would take for a formula must
stay text:
- XLSX: every cell is written with its own type; a string is always a string cell (openpyxl would otherwise
  store `=…` as a formula). Nothing visible is added: the cell shows exactly the text.
- CSV: a value whose first character is `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
  (OWASP, "CSV Injection"); so does a value that already starts with `'`s followed by such a character, so
  `csv_restore` (used by the CSV reader) gives every value back exactly.
Every writer (convert/CSV folder and workbook, the SanPiN report, the ЭПОС workbook) goes through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # untyped libraries (no stubs installed): these names read as Any to mypy, but say what is meant
    import pandas as pd
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text: str) -> bool:
    return text.lstrip("'")[:1] in FORMULA_START


def csv_cell(value: Any) -> Any:
    """A CSV value that no spreadsheet evaluates (non-strings unchanged)."""
    if isinstance(value, str) and value and _formula_like(value):
        return "'" + value
    return value


def csv_restore(value: Any) -> Any:
    """The value csv_cell was given (for the planner's own CSV reader)."""
    if isinstance(value, str) and value.startswith("'") and _formula_like(value[1:]):
        return value[1:]
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A pandas DataFrame with every cell passed through csv_cell."""
    return frame.map(csv_cell)


def text_cells(worksheets: Iterable[Worksheet]) -> None:
    """Make every formula cell of these openpyxl worksheets a string cell holding the same text (the planner
    writes no formulas: any `=…` came from data)."""
    for ws in worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"


def text_workbook(workbook: Workbook) -> None:
    """text_cells over every sheet of an openpyxl workbook (for pandas: `text_workbook(writer.book)` before the
    ExcelWriter closes)."""
    text_cells(workbook.worksheets)


def has_formula(workbook: Workbook) -> bool:
    """True when any cell of the openpyxl workbook is a formula."""
    return any(cell.data_type == "f" for ws in workbook.worksheets for row in ws.iter_rows() for cell in row)
