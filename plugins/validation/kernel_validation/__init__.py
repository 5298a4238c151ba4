"""Request validation and response serialization from type hints, for kernel apps."""
