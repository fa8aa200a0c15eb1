"""The large-neighbourhood step re-staffs a piece with its best people."""

from __future__ import annotations

from matching.engine.model import Slot, StaffingProblem, Venue
from matching.engine.staffing.compile import compile_staffing
from matching.engine.staffing.lns import improve_piece
from matching.engine.staffing.roster import Roster

from .test_engine_staffing import at, people_in_a_row


def test_a_slot_nobody_else_in_the_piece_wants_gets_its_nearest_people():
    # One slot of two seats, four people further and further away; the two furthest hold it.
    problem = StaffingProblem(
        volunteers=people_in_a_row((4, 4, 4, 4), step=0.01),
        venues=(Venue("V0", 51.0, 10.0),),
        slots=(Slot("S0", "V0", "class", at(20), at(22), needed=2),),
    )
    cs = compile_staffing(problem)
    roster = Roster(cs)
    slot = cs.slot_index["S0"]
    for v in (cs.vol_index["P2"], cs.vol_index["P3"]):
        roster.add(v, slot)
    gained, delta = improve_piece(cs, roster, [slot], time_limit=10, node_limit=50)
    assert gained == 0 and delta < 0
    assert sorted(roster.members[slot]) == sorted([cs.vol_index["P0"], cs.vol_index["P1"]])
