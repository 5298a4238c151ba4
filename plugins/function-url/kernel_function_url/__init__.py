"""Lambda Function URL event source for kernel."""
