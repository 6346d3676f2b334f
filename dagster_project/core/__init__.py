"""Everything without a Dagster import: readers and source contracts, quality suites, rules, survey
statistics, privacy, municipalities, reports, publication, engines and the operations helpers."""
