"""Telling people: the emails each case event calls for, rendered in the recipient's language, sent once."""
