"""Shift texts going out: what each text says (``texts``) and which event sends which
(``notices``). The answers coming back (Y/N) are handled in ``activities.replies``, beside the
other ways in (pages, API, tasks), since they act through the services."""
