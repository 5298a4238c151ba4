"""Bedrock Agent action group event source for kernel."""
