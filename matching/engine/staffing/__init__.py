"""Staffing: volunteers to slots (entry point: :func:`.solve.solve_staffing`)."""
