"""API Gateway HTTP API (payload 2.0) event source for kernel."""
