"""Writes of the matcher: ``access`` (who may), ``runs`` (start, solve, adjust),
``publishing`` (confirm a proposal), ``board`` (the coordinator board's actions) and
``mediation`` (rank mediators)."""
