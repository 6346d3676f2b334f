"""Publishing the marts to the read-only copy that BI tools query (write-audit-publish)."""
