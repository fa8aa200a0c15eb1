"""Reads for the matcher: the engine's instances from the database, runs, and the board."""

from .board import BoardSlot, board_slot_area, board_slots
from .common import (
    LANG_TAG,
    TEAM_TAG,
    district_tz,
    key_id,
    role_key,
    scope_slot_roles,
    scope_volunteers,
    volunteer_key,
    weeks_of,
)
from .instance import WeekInput, week_inputs
from .runs import (
    areas_broadest_first,
    run_gaps,
    run_pairs,
    run_proposals,
    run_report,
    run_with_results,
    runs_visible,
)

__all__ = [
    "LANG_TAG",
    "TEAM_TAG",
    "BoardSlot",
    "WeekInput",
    "areas_broadest_first",
    "board_slot_area",
    "board_slots",
    "district_tz",
    "key_id",
    "role_key",
    "run_gaps",
    "run_pairs",
    "run_proposals",
    "run_report",
    "run_with_results",
    "runs_visible",
    "scope_slot_roles",
    "scope_volunteers",
    "volunteer_key",
    "week_inputs",
    "weeks_of",
]
