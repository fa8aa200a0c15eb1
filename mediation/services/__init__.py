"""Every change to mediation's data. Pages, the API, tasks and commands call these."""
