"""Composition roots: dishka providers grouped by layer, one container per role and process."""
