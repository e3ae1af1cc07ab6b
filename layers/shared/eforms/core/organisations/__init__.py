"""The customer organisations the service centre works for, as data (docs/organisations.md)."""
