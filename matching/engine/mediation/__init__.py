"""Mediation: mediators to disputes (entry points in :mod:`.solve`)."""
