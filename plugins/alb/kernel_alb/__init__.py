"""Application Load Balancer event source for kernel."""
