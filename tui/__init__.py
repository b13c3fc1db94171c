"""The lead's review app (Textual): `cna tui`."""
