"""The case model: issues, rules, parties, expressions and scenario changes."""
