"""Rendering signed case PDFs. Lives in its own layer with reportlab and the embedded fonts."""
