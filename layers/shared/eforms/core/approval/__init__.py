"""Approval by a manager: who approves, decision links, decisions, corrections and the workflow steps."""
