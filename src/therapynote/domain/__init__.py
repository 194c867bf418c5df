"""Pure-Python clinical model: dataclasses, vocabularies, note templates, date helpers."""
