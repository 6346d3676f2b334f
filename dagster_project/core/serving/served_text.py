"""No served text may hold a national identity number: the check every publication path runs on
the tables it is about to make current (DuckDB file and Parquet, PostgreSQL schema), before the
swap, so a refused publication leaves the old one in place.

The engine lists its text columns and the distinct values that look like an 11-digit number
(``CANDIDATE_PATTERN``, a regular expression both engines read); the rule and the message are here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dagster_project.core.ingest.identity_numbers import RULE, identity_numbers_in, mask_identity_numbers

#: Values worth checking: six digits, an optional space, five digits (DuckDB regexp_matches and
#: PostgreSQL ~ both read it); identity_numbers_in then applies the real rule.
CANDIDATE_PATTERN = "[0-9]{6} ?[0-9]{5}"


class PublicationRefused(Exception):
    """The marts hold something that must not be published; nothing was swapped in."""


def refuse_identity_numbers(
    schema: str,
    text_columns: Iterable[tuple[str, str]],
    candidates: Callable[[str, str], Iterable[str]],
) -> None:
    """Raise ``PublicationRefused`` naming the table, column and rule (the number masked) for the
    first text column with a value holding an identity number. ``candidates(table, column)`` gives
    the column's distinct values matching ``CANDIDATE_PATTERN``."""
    for table, column in text_columns:
        found = [text for text in candidates(table, column) if identity_numbers_in(text)]
        if found:
            raise PublicationRefused(
                f"{schema}.{table}, column '{column}': rule '{RULE}': "
                f"{len(found)} value(s) hold a national identity number (e.g. "
                f"'{mask_identity_numbers(found[0])[:80]}'); nothing was published"
            )
