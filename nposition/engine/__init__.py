"""The analysis engine: the outcome space as bitsets, zones, conflicts, concessions over
fallback levels, utilities, bargaining, and the semantic checks of `validate`."""
