"""The one error type a bad extract raises: it always names file, row, column and rule."""

from __future__ import annotations


class ExtractError(Exception):
    """A delivered file that cannot be read as its source contract says.

    ``row`` is the 1-based line (CSV) or sheet row (XLSX) as a person sees it in the file;
    ``None`` when the problem concerns the whole file. An identity number in any part of the
    message (a cell quoted back, a file or column name) is masked before anyone sees it.
    """

    def __init__(self, file: str, rule: str, message: str, row: int | None = None, column: str | None = None):
        from dagster_project.core.ingest.identity_numbers import mask_identity_numbers

        file, message = mask_identity_numbers(str(file)), mask_identity_numbers(message)
        column = None if column is None else mask_identity_numbers(column)
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
