"""Bundles in the app: export a group's bundle, import one with its summary first, and the conflict log."""
