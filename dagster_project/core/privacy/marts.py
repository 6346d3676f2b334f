"""The privacy marts: served tables whose suppression is a tested pure function, not SQL.

Each entry names the mart, the intermediate relation it is built from, the pure function that
turns the cell counts into the served table, and the column types (portable SQL). The step in
``privacy/assets.py`` runs every entry on whichever engine the warehouse uses: read the
intermediate table, apply the function, write the mart in one transaction, then check it. A new
privacy mart is one more entry here (and a row in the README's marts table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from dagster_project.core.privacy.tables import distribution_tables, indicator_by_region


@dataclass(frozen=True)
class PrivacyMart:
    name: str
    #: The intermediate model (schema intermediate) holding the aggregated cell counts.
    source: str
    build: Callable[[pd.DataFrame], pd.DataFrame]
    #: column -> (portable SQL type, description), in served order: the mart's served schema (its
    #: contract, as a dbt yml is for the SQL marts; checked against the published copy).
    columns: Mapping[str, tuple[str, str]]
    description: str
    #: Checks on the written mart (what dbt tests did for the former dbt Python models).
    unique_key: tuple[str, ...]
    not_null: tuple[str, ...] = ()
    accepted_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def types(self) -> dict[str, str]:
        return {column: sql_type for column, (sql_type, _) in self.columns.items()}

    @property
    def descriptions(self) -> dict[str, str]:
        return {column: text for column, (_, text) in self.columns.items()}


#: pandas types of the served SQL types (nulls kept: an all-NULL column keeps its type). The one
#: typing path of the privacy marts: the table is created with the SQL types, the frame cast here.
_PANDAS_TYPES = {"integer": "Int32", "float8": "Float64", "boolean": "boolean"}
TEXT_TYPES = ("varchar", "text")


def typed(frame: pd.DataFrame, mart: PrivacyMart) -> pd.DataFrame:
    """The function's frame in the mart's column order and types (nulls kept), ready to write."""
    out = pd.DataFrame(index=frame.index)
    for column, sql_type in mart.types.items():
        values = frame[column]
        if sql_type in TEXT_TYPES:
            out[column] = values.astype(object).where(values.notna(), None)
        else:
            out[column] = values.astype(_PANDAS_TYPES[sql_type])
    return out


PRIVACY_MARTS: tuple[PrivacyMart, ...] = (
    PrivacyMart(
        name="mart_indicator_by_region",
        source="int_indicator_cells__by_region",
        build=indicator_by_region,
        description=(
            "Each indicator computed from microdata (IS-24/8, BrukerPlan) per year by county x size class, "
            "by county, by size class and nationally, with the denominator n per cell. Cells under 5 "
            "persons or 3 municipalities are suppressed, with secondary suppression so that no suppressed "
            "cell can be recovered from the county, size-class or national totals."
        ),
        columns={
            "indicator_no": ("integer", "Indicator number."),
            "year": ("integer", "Year."),
            "computed_from": ("varchar", "is24_8 or brukerplan."),
            "region_level": ("varchar", "county_by_size_class, county, size_class or national."),
            "county_code": ("varchar", "County code (null for size_class and national rows)."),
            "size_class": ("varchar", "Size class (null for county and national rows)."),
            "value": ("float8", "The indicator for the cell (percent, or sum); null when suppressed."),
            "n_units": (
                "integer",
                "Denominator of the cell - responding units (IS-24/8) or persons (BrukerPlan); "
                "null when suppressed.",
            ),
            "n_municipalities": ("integer", "Municipalities behind the cell; null when suppressed."),
            "count_kind": ("varchar", "units or persons."),
            "is_suppressed": ("boolean", "True when the cell is hidden."),
            "suppression": (
                "varchar",
                "primary (the cell is small) or secondary (hidden to protect another cell); null when shown.",
            ),
        },
        unique_key=("indicator_no", "year", "region_level", "county_code", "size_class"),
        not_null=("indicator_no", "year", "is_suppressed"),
        accepted_values={
            "region_level": ("county_by_size_class", "county", "size_class", "national"),
            "suppression": ("primary", "secondary"),
        },
    ),
    PrivacyMart(
        name="mart_brukerplan_distribution",
        source="int_brukerplan__distribution_cells",
        build=distribution_tables,
        description=(
            "Distribution of BrukerPlan recipients over the green/yellow/red categories of each "
            "living-condition area and over the levekårsindeks (weighted and unweighted; blålys = "
            "blue_light), in total and by municipality size class, gender and age group, as in the "
            "BrukerPlan booklet. Shares are percent of the group's recipients with the item registered. "
            "Cells under 5 persons or 3 municipalities are suppressed with secondary suppression."
        ),
        columns={
            "year": ("integer", "Mapping year."),
            "group_type": ("varchar", "total, size_class, gender or age_group."),
            "group_value": ("varchar", "The group (alle for the total)."),
            "measure": ("varchar", "area_<name> or index_weighted / index_unweighted."),
            "category": ("varchar", "green, yellow, red or blue_light."),
            "n_persons": ("integer", "Recipients in the cell; null when suppressed."),
            "share": ("float8", "Percent of the group's recipients (0-100); null when suppressed."),
            "group_n_persons": (
                "integer",
                "Recipients in the group with the item registered; null when the group is suppressed.",
            ),
            "is_suppressed": ("boolean", "True when the cell is hidden."),
            "suppression": ("varchar", "primary or secondary; null when shown."),
        },
        unique_key=("year", "group_type", "group_value", "measure", "category"),
        not_null=("year", "is_suppressed"),
        accepted_values={
            "group_type": ("total", "size_class", "gender", "age_group"),
            "category": ("green", "yellow", "red", "blue_light"),
            "suppression": ("primary", "secondary"),
        },
    ),
)


def check_queries(mart: PrivacyMart, schema: str = "marts") -> dict[str, str]:
    """Per check: a query counting the rows that break it (0 = passed). Portable SQL."""
    table = f"{schema}.{mart.name}"
    key = ", ".join(mart.unique_key)
    queries = {
        "unique_combination": (
            f"select count(*) from (select {key} from {table} group by {key} having count(*) > 1) as dup"
        ),
    }
    for column in mart.not_null:
        queries[f"not_null_{column}"] = f"select count(*) from {table} where {column} is null"
    for column, values in mart.accepted_values.items():
        listed = ", ".join(f"'{v}'" for v in values)
        queries[f"accepted_values_{column}"] = (
            f"select count(*) from {table} where {column} is not null and {column} not in ({listed})"
        )
    return queries
