"""OpenAPI 3.1 documents generated from kernel apps."""
