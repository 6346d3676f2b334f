"""Great Expectations suites run on extract frames, turned into Dagster check results."""
