"""Bulk importers: see base.py for the engine and registries.py for the five registries."""
