"""Curriculum packs: the format, the loader and the bundled packs."""
