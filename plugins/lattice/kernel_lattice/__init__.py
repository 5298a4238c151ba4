"""VPC Lattice (payload 1 and 2) event source for kernel."""
