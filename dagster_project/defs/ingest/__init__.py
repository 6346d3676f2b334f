"""The ingest assets: one step per source that reads, checks (GE) and loads a delivery."""
