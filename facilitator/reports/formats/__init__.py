"""A document's formats: Markdown, self-contained HTML and PDF, each from the same `Document`."""
