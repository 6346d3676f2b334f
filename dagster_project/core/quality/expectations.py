"""Our own Great Expectations expectation types, registered with GE when this module is imported.

``expect_column_pair_values_to_be_in_codebook`` asks what GE's ``expect_column_pair_values_to_be_in_set``
asks (every (A, B) pair is one of a list of pairs), with a vectorised pandas metric: GE's own walks
the frame row by row (``iterrows``), about 15 s for the 236 000 long rows of a survey at ten times
national volume; and with a SQL metric, one ``(A, B) IN (...)`` per row (GE's own SQL metric ORs
one comparison per pair of the codebook). Imported only by ``quality.suites`` once it has imported
GE itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from great_expectations.compatibility.sqlalchemy import sqlalchemy as sa
from great_expectations.execution_engine import PandasExecutionEngine, SqlAlchemyExecutionEngine
from great_expectations.expectations.core.expect_column_pair_values_to_be_in_set import (
    ExpectColumnPairValuesToBeInSet,
)
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnPairMapMetricProvider,
    column_pair_condition_partial,
)


def pairs_in_set(column_a: pd.Series, column_b: pd.Series, pairs: object) -> np.ndarray:
    """Per row, whether (A, B) is one of ``pairs``, decided once per distinct pair found.

    Missing values compare as None, as in GE's own metric."""
    if pairs is None:
        return np.ones(len(column_a), dtype=bool)
    allowed = {(a, b) for a, b in pairs}
    codes_a, values_a = pd.factorize(column_a, use_na_sentinel=False)
    codes_b, values_b = pd.factorize(column_b, use_na_sentinel=False)
    combined, inverse = np.unique(codes_a.astype(np.int64) * len(values_b) + codes_b, return_inverse=True)
    member = np.fromiter(
        (
            (_value(values_a[c // len(values_b)]), _value(values_b[c % len(values_b)])) in allowed
            for c in combined
        ),
        dtype=bool,
        count=len(combined),
    )
    return member[inverse.reshape(-1)]


def pairs_in_set_sql(column_a, column_b, pairs: object):
    """``pairs_in_set`` as a SQL condition: true where (A, B) is one of ``pairs``, never NULL.

    Pairs without a missing value become one row-value ``IN`` list; a pair with a missing value
    (``["Q11", None]``) matches the rows missing there, as a missing value compares as None."""
    if pairs is None:
        return sa.true()
    allowed = {(a, b) for a, b in pairs}
    complete = sorted((a, b) for a, b in allowed if a is not None and b is not None)
    conditions = [sa.tuple_(column_a, column_b).in_(complete)] if complete else []
    for a, b in sorted(allowed - set(complete), key=repr):
        conditions.append(
            sa.and_(
                column_a.is_(None) if a is None else column_a == a,
                column_b.is_(None) if b is None else column_b == b,
            )
        )
    return sa.func.coalesce(sa.or_(*conditions), sa.false()) if conditions else sa.false()


def _value(value: object) -> object:
    if pd.isna(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


class ColumnPairValuesInCodebook(ColumnPairMapMetricProvider):
    condition_metric_name = "column_pair_values.in_codebook"
    condition_value_keys = ("value_pairs_set",)
    condition_domain_keys = ("batch_id", "table", "column_A", "column_B", "ignore_row_if")

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, **kwargs):
        return pd.Series(
            pairs_in_set(column_A, column_B, kwargs.get("value_pairs_set")), index=column_A.index
        )

    @column_pair_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(cls, column_A, column_B, **kwargs):
        return pairs_in_set_sql(column_A, column_B, kwargs.get("value_pairs_set"))


class ExpectColumnPairValuesToBeInCodebook(ExpectColumnPairValuesToBeInSet):
    """Every (A, B) pair is one of ``value_pairs_set``; as GE's in-set expectation, set-wise."""

    map_metric = "column_pair_values.in_codebook"
