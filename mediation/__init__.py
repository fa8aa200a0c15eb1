"""Mediation: disputes taken in, mediators matched to them, each case followed to its end.

Confidential by construction: a dispute exists only for the coordinators of its area (and the
areas above) and its assigned mediators; every read, change and export is audited; narratives,
party names and numbers are encrypted at rest.
"""
