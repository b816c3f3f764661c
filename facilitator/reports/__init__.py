"""Reports computed from the store: follow-ups and attendance. Pure functions over records, no Textual."""
