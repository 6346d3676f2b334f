"""Great Expectations suites and expectations run on extract frames (pure; check results in defs)."""
