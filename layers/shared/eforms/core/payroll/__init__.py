"""Pay transactions: what a case's answers become in the payroll system (docs/records.md §4–5)."""
