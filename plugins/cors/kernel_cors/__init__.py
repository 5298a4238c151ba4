"""CORS for kernel apps."""
