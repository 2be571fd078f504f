"""Aldea: run and measure digital-village e-commerce programmes."""

__version__ = "0.1.0"
