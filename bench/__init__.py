"""The performance benchmark suite: `make bench` (see README, "Performance")."""
