"""Forms as data: the catalogue of JSON Schema files, validation against them, and how answers are shown."""
