"""The publish step on a small working warehouse: a served free text holding an identity number
stops the publication, and a reconnecting DuckDB client sees a new publication at once."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dagster_project.core.serving.publish import MIN_FRESH_CLIENT, PublicationRefused, publish
from tests.unit.test_input_contracts import HAND_COMPUTED


def working_warehouse(path: Path, note: str) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.fct_extract_loads as select 'national_figures' as source, "
            "2018 as delivery_year, 'tall.csv' as file_name, 'ab' as file_sha256, "
            "timestamptz '2026-01-01 10:00:00+00' as loaded_at, true as is_current"
        )
        conn.execute(
            "create table marts.fct_indicator_value_history as select 1 as indicator_no, ? as note", [note]
        )
    return path


def test_a_served_free_text_with_an_identity_number_is_not_published(tmp_path: Path) -> None:
    db = working_warehouse(tmp_path / "w.duckdb", f"Tall kontrollert mot sak for {HAND_COMPUTED}, ok")
    serving = tmp_path / "serving"
    with pytest.raises(PublicationRefused) as refused:
        publish(db, serving, run_id="run-00001")
    message = str(refused.value)
    assert "fct_indicator_value_history" in message and "'note'" in message
    assert HAND_COMPUTED not in message and "150375*****" in message
    assert not (serving / "current").exists()
    assert not any((serving / ".versions").iterdir())


def test_a_reconnecting_client_sees_the_new_publication_while_another_connection_is_open(
    tmp_path: Path,
) -> None:
    """DuckDB 1.5 and later: a new connection in the same process opens the file the fixed path
    points to now. DuckDB 1.0-1.4 reuse the open instance of the old file (docs/bi.md)."""
    assert tuple(int(p) for p in duckdb.__version__.split(".")[:2]) >= MIN_FRESH_CLIENT
    db = working_warehouse(tmp_path / "w.duckdb", "Ingen merknad")
    serving = tmp_path / "serving"
    first = publish(db, serving, run_id="aaaa1111")
    path = str(serving / "warehouse.duckdb")
    held = duckdb.connect(path, read_only=True)  # a BI tool's long-lived connection
    try:
        assert held.execute("select distinct publication_id from marts.publication").fetchall() == [
            (first.publication_id,)
        ]
        second = publish(db, serving, run_id="bbbb2222")
        with duckdb.connect(path, read_only=True) as again:
            seen = again.execute("select distinct publication_id from marts.publication").fetchall()
        assert seen == [(second.publication_id,)]
    finally:
        held.close()


def test_the_shared_rule_checks_every_candidate_and_masks_the_number() -> None:
    """The check both engines run (core/serving/served_text.py): only a real identity number refuses,
    the message names schema, table, column and rule, never the number."""
    from dagster_project.core.serving.served_text import refuse_identity_numbers

    values = {
        ("a", "note"): ["sak 12345678901 (no valid check digits)"],
        ("b", "remark"): ["ok", f"kontrollert mot {HAND_COMPUTED}"],
    }
    refuse_identity_numbers("marts", [("a", "note")], lambda t, c: values[(t, c)])  # passes
    with pytest.raises(PublicationRefused) as refused:
        refuse_identity_numbers("published", list(values), lambda t, c: values[(t, c)])
    message = str(refused.value)
    assert message.startswith("published.b, column 'remark': rule 'no_national_identity_numbers'")
    assert HAND_COMPUTED not in message and HAND_COMPUTED[:6] + "*****" in message
