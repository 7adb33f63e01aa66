"""Kithbook: a local-first networking and alliance manager."""

__version__ = "0.1.0"
