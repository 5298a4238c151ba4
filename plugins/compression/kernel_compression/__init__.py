"""gzip response compression for kernel apps."""
