"""The one error type a bad extract raises: it always names file, row, column and rule."""

from __future__ import annotations


class ExtractError(Exception):
    """A delivered file that cannot be read as its source contract says.

    ``row`` is the 1-based line (CSV) or sheet row (XLSX) as a person sees it in the file;
    ``None`` when the problem concerns the whole file.
    """

    def __init__(self, file: str, rule: str, message: str, row: int | None = None, column: str | None = None):
        self.file = file
        self.rule = rule
        self.row = row
        self.column = column
        self.detail = message
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: rule '{rule}': {message}")
