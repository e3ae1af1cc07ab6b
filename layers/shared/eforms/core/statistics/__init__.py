"""Follow-up figures per organisation, form, officer and month, kept as aggregates (docs/statistics.md)."""
