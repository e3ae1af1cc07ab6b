"""Test harness shared by the unit, integration and end-to-end tests."""
