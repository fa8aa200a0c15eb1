"""Matching: staffing volunteers to slots and mediators to disputes.

The solver itself lives in :mod:`matching.engine` (plain Python, numpy and scipy, no Django);
``python -m matching solve INSTANCE.json`` runs it from the command line.
"""
