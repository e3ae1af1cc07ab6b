"""The case itself: its model, lifecycle (the one transition table), access rules, listings and events."""
