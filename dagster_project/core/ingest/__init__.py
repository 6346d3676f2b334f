"""Reading delivered extract files into typed frames, one module per source."""
