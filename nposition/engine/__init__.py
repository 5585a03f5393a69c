"""The analysis engine: the outcome space as bitsets, zones, conflicts, utilities, bargaining."""
