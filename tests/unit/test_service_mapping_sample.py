"""The synthetic 2003 mapping forms hit the printed counts the report gives (before any pipeline)."""

from __future__ import annotations

from dagster_project.sample import service_mapping as sm


def test_consultation_forms_reproduce_the_printed_counts() -> None:
    columns, rows = sm.build_consultations()
    forms = [dict(zip(columns, r, strict=True)) for r in rows]
    assert len(forms) == 1700
    typed = [f for f in forms if any(f[f"q5_{s}"] is not None for s in sm.SUBSTANCES)]
    assert len(typed) == 1436
    stort = [f for f in forms if any(f[f"q5_{s}"] == 4 for s in sm.SUBSTANCES)]
    assert len(stort) == 1015
    assert sum(f["q13_2"] == 1 for f in forms) == 596
    assert sum(f["q20_21_behov"] for f in forms) == 366 and sum(f["q20_21_tilbudt"] for f in forms) == 323


def test_gp_and_institution_forms_reproduce_the_printed_counts() -> None:
    columns, rows = sm.build_gp()
    gp = [dict(zip(columns, r, strict=True)) for r in rows]
    assert len(gp) == 553 and len({f["lege"] for f in gp}) == 241
    columns, rows = sm.build_institutions()
    clients = [dict(zip(columns, r, strict=True)) for r in rows]
    assert len(clients) == 3390 and len({f["institusjon"] for f in clients}) == 109
    assert sum(f["heroin"] == 1 for f in clients) == 716


def test_generation_is_deterministic() -> None:
    assert sm.build_consultations() == sm.build_consultations()
