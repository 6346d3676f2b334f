"""The published read-only copy as an asset."""
