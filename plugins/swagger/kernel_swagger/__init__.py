"""Swagger UI for kernel apps."""
