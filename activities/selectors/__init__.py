"""Reads of activities, slots and assignments, one module per audience; seats in seats.py."""
