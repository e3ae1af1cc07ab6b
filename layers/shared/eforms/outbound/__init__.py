"""Calls to systems outside AWS: webhook subscribers' endpoints and their OAuth token endpoints."""
