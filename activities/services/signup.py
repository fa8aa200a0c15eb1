"""Signing up for a shift, the waitlist, cancelling, reconfirming and direct confirmations.

The invariants — never more seated assignments than a role needs, never two overlapping
confirmed shifts for one person — hold under concurrency because every change that takes or
frees a seat runs in one transaction that first locks the slot's role rows (and then counts the
seats) and then the volunteer's profile row, and only then reads her shifts and checks:

* PostgreSQL: ``SELECT … FOR UPDATE`` on the roles serialises sign-ups for the same slot; the
  lock on the profile serialises one person's sign-ups for different (overlapping) slots. Each
  later statement in READ COMMITTED sees what the transaction before it committed. Locks are
  always taken in the same order (roles, then profiles), so two transactions cannot deadlock.
* SQLite: ``select_for_update`` is a no-op, but the database settings open every transaction
  with ``BEGIN IMMEDIATE`` (``transaction_mode``), which takes the database write lock at once:
  writers run one at a time, so counting and inserting cannot interleave either.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.db.models import F, OuterRef
from django.db.models.query import get_related_populators
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.tasks import hand_overs_together
from notifications.services import opt_out_known, opted_out_expression
from venues.selectors import venue_can_edit
from volunteers.models import VolunteerProfile
from volunteers.roles import Role, roles_of

from .. import eligibility, notices
from ..eligibility import Booked
from ..models import Assignment, Slot, SlotRole
from ..selectors.seats import seats_taken_and_waiting, seats_taken_by_role
from ..selectors.visibility import slot_visible_to
from . import backfill


def _lock_profiles(volunteer_ids: list[int]) -> dict[int, dict]:
    """Lock the profiles (ids ascending, in one statement), reading what the rules need of
    each as it is now, and her number with whether it opted out (for the text she is sent):
    by profile id."""
    if not volunteer_ids:
        return {}
    return {
        row["pk"]: row
        for row in VolunteerProfile.objects.select_for_update()
        .filter(pk__in=sorted(set(volunteer_ids)))
        .order_by("pk")
        .annotate(opted_out=opted_out_expression(OuterRef("phone")))
        .values("pk", "languages", "max_hours_per_week", "phone", "opted_out")
    }


def _fresh(volunteer: VolunteerProfile, slot: Slot) -> bool:
    """Set on ``volunteer`` what ``_lock`` read of her profile under its lock (her languages
    and weekly hours; whether her number opted out, for her text); False when it was not
    read."""
    row = getattr(slot, "locked_profiles", {}).get(volunteer.pk)
    if row is None:
        return False
    volunteer.languages = row["languages"]
    volunteer.max_hours_per_week = row["max_hours_per_week"]
    opt_out_known(volunteer, phone=row["phone"], opted_out=row["opted_out"])
    return True


def _roles_locked():
    """Roles locked in the order every change of seats takes them (ids ascending), each read
    with its slot, the slot's activity, venue and team, and its skill; only the role rows are
    locked. A sign-up's (``_roles_lock``) and a publication's (``_lock_slots``) filter it."""
    return (
        SlotRole.objects.select_for_update(of=("self",))
        .select_related("slot__activity__venue", "slot__activity__team", "skill")
        .order_by("pk")
    )


# Stand-ins for the ids in the kept statement that locks a slot's roles: negative, never an id.
# The statement is used only when its parameters are these and nothing else, in this order.
_SLOT, _SIGNUP, _VOLUNTEER = -1, -2, -3


@functools.lru_cache(maxsize=32)
def _roles_lock_statement(connection, *, own: bool) -> tuple[str, Callable[[list], list]]:
    """The ORM's statement of ``_roles_lock`` and what makes its rows roles, built once for each
    database connection: building it (a select over five tables, locking one) cost more CPU
    on every sign-up and cancellation than the database's answer and the roles together. Its
    only parameters are the ids a call gives: the slot's, or with ``own`` her sign-up's and her
    profile's, whose slot it is. The roles are made from its rows as the ORM makes them
    (``ModelIterable``): each with its slot, the slot's activity, venue and team, and its skill.
    Built inside the caller's transaction, as the ORM builds a locking statement."""
    if own:
        stand_ins = [_SIGNUP, _VOLUNTEER]
        mine = Assignment.objects.filter(pk=_SIGNUP, volunteer_id=_VOLUNTEER)
        slot_filter = {"slot_id__in": mine.values("slot_id")}
    else:
        stand_ins = [_SLOT]
        slot_filter = {"slot_id": _SLOT}
    queryset = _roles_locked().filter(**slot_filter)
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    if list(params) != stand_ins:
        raise ImproperlyConfigured(f"The roles' locking statement takes {params!r}, not ids.")
    select, klass_info = compiler.select, compiler.klass_info
    first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[first:last]]
    related = get_related_populators(klass_info, select, connection.alias)
    converters = compiler.get_converters([column[0] for column in select])

    def roles(rows: list) -> list[SlotRole]:
        made = []
        for row in compiler.apply_converters(rows, converters) if converters else rows:
            role = SlotRole.from_db(connection.alias, names, row[first:last])
            for populator in related:
                populator.populate(row, role)
            made.append(role)
        return made

    return sql, roles


def _roles_lock(
    *, slot_id: int | None = None, own: tuple[int, int] | None = None
) -> list[SlotRole]:
    """Lock the roles of slot ``slot_id`` (or, with ``own``, of the slot of sign-up
    ``own[0]`` if it is profile ``own[1]``'s) in one statement, ids ascending, each read with
    the slot, its activity and venue in the same statement; only the role rows are locked."""
    connection = connections[router.db_for_write(SlotRole)]
    if own is not None:
        # An id the column cannot hold is no one's sign-up, as the ORM answers it.
        low, high = connection.ops.integer_field_range(Assignment._meta.pk.get_internal_type())
        if not low <= own[0] <= high:
            return []
    sql, roles = _roles_lock_statement(connection, own=own is not None)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(own) if own is not None else [slot_id])
        return roles(cursor.fetchall())


def _lock(
    *,
    slot: Slot,
    volunteer_ids: list[int],
    waitlist: bool = False,
    roles: list[SlotRole] | None = None,
) -> tuple[Slot, list[SlotRole]]:
    """Lock the slot's roles, then the profiles (ids ascending, in one statement), and re-read
    the slot. ``waitlist``: also lock everyone waiting on the slot, who may be promoted (their
    profile ids in ``waiting_ids`` of the slot). ``roles``: the slot's roles, locked already
    (``_roles_lock``)."""
    if roles is None:
        roles = _roles_lock(slot_id=slot.pk)
    # The seats are counted once the roles are locked: every change that takes or frees one
    # locks them first. Who waits is read in the same statement, to lock her profile too.
    waiting: list[int] = []
    if waitlist:
        seated, waiting = seats_taken_and_waiting(slot_id=slot.pk, role_ids=[r.pk for r in roles])
    else:
        seated = seats_taken_by_role(r.pk for r in roles)
    profiles = _lock_profiles([*volunteer_ids, *waiting])
    if roles:
        fresh = roles[0].slot
        for role in roles:
            role.slot = fresh
    else:
        fresh = (
            Slot.objects.select_related("activity__venue", "activity__team")
            .filter(pk=slot.pk)
            .first()
        )
    if fresh is None:
        raise NotFound(_("No such shift."))
    fresh.locked_profiles = profiles
    # Who waits on the slot (read only with ``waitlist``): nobody, and a freed seat has no one
    # to go to.
    fresh.waiting_ids = waiting
    for role in roles:
        role.filled = seated[role.pk]
    return fresh, roles


def _facts(
    volunteer: VolunteerProfile, slot: Slot, roles: list[SlotRole] | None = None
) -> eligibility.VolunteerFacts:
    """Her facts for judging ``slot``; with ``roles`` (all that will be judged) her skills are
    read only when one of them asks for a skill."""
    if not _fresh(volunteer, slot):
        volunteer.refresh_from_db(fields=["max_hours_per_week", "languages"])
    return eligibility.facts_load(
        volunteer=volunteer,
        around=(slot.starts_at, slot.ends_at),
        teams=slot.activity.team_id is not None,
        skills=roles is None or any(r.skill_id for r in roles),
        # The rules here ask about her sign-up on this slot only.
        live_on=slot.pk,
    )


def _raise(refusals: list[eligibility.Refusal]) -> None:
    first = refusals[0]
    error = Conflict if first.code in eligibility.CONFLICT_CODES else DomainError
    raise error(first.message, code=first.code)


def _role_of(slot: Slot, roles: list[SlotRole], role: SlotRole | int | None) -> SlotRole | None:
    if role is None:
        return None
    role_id = role.pk if isinstance(role, SlotRole) else int(role)
    for candidate in roles:
        if candidate.pk == role_id:
            return candidate
    raise DomainError(_("This role is not part of the shift."), code="role_not_in_slot")


def slot_sign_up(
    *,
    volunteer: VolunteerProfile,
    slot: Slot,
    role: SlotRole | int | None = None,
    source: str = Assignment.Source.SIGNUP,
    seen_by=None,
) -> Assignment:
    """Sign ``volunteer`` up: confirmed while a seat of a role she fits is free, waitlisted
    otherwise. Raises Conflict (409) for an overlap or an existing sign-up (so pressing twice
    never makes two), DomainError (400) naming the rule when she is not eligible.
    ``seen_by``: the person asking (pages, API); a slot she may not see (``slots_visible``)
    is NotFound, as a missing one."""
    with transaction.atomic():
        slot, roles = _lock(slot=slot, volunteer_ids=[volunteer.pk])
        if seen_by is not None and not slot_visible_to(user=seen_by, slot=slot):
            raise NotFound(_("No such shift."))
        chosen = _role_of(slot, roles, role)
        judged = roles if chosen is None else [chosen]
        facts = _facts(volunteer, slot, judged)
        verdict = eligibility.slot_verdict(facts, slot, roles=roles, role=chosen)
        if not verdict.ok:
            _raise(verdict.refusals)
        status = Assignment.Status.WAITLISTED if verdict.full else Assignment.Status.CONFIRMED
        assignment = Assignment(
            slot=slot, role=verdict.role, volunteer=volunteer, status=status, source=source
        )
        if verdict.full:
            assignment.save(force_insert=True)
            notices.assignment_waitlisted(assignment)
        else:
            notices.assignment_confirming(assignment, earlier_top=facts.top_sequence_on)
            assignment.save(force_insert=True)
            notices.assignment_confirmed(assignment, prompted=True, written=True)
    return assignment


def assignment_create_confirmed(
    *, volunteer: VolunteerProfile, role: SlotRole, source: str, by=None
) -> Assignment:
    """Give ``volunteer`` a confirmed seat in ``role`` (matcher publish, SMS backfill, a
    coordinator). Confirms only if a seat is free and every rule holds, in the same locked
    transaction as a sign-up; her waitlisted entry on the slot, if any, becomes the seat. An
    existing confirmed seat on the same role is returned as it is."""
    with transaction.atomic():
        slot, roles = _lock(slot=role.slot, volunteer_ids=[volunteer.pk])
        role = _role_of(slot, roles, role)
        facts = _facts(volunteer, slot)
        existing, held = _seat_allowed(facts, slot, roles, role)
        if held:
            return existing
        if existing is not None:
            was_confirmed = existing.status == Assignment.Status.CONFIRMED
            existing.role = role
            existing.status = Assignment.Status.CONFIRMED
            existing.source = source
            existing.sequence = F("sequence") + 1
            existing.save(update_fields=["role", "status", "source", "sequence", "updated_at"])
            existing.refresh_from_db()
            if not was_confirmed:
                notices.assignment_promoted(existing)
            return existing
        assignment = Assignment(
            slot=slot,
            role=role,
            volunteer=volunteer,
            status=Assignment.Status.CONFIRMED,
            source=source,
        )
        notices.assignment_confirming(assignment, earlier_top=facts.top_sequence_on)
        assignment.save(force_insert=True)
        notices.assignment_confirmed(assignment, prompted=False, written=True)
    return assignment


def _lock_slots(
    *, role_ids: list[int], volunteer_ids: list[int]
) -> tuple[dict[int, tuple[Slot, list[SlotRole]]], dict[int, dict]]:
    """``_lock`` for the slots of several roles at once: every role of those slots in one
    statement (ids ascending, as a sign-up locks one slot's), then the profiles (ids
    ascending), then the seats counted. By slot id, the slot re-read and its roles; and by
    profile id, what the rules need of each profile, as it is now."""
    roles = list(
        _roles_locked().filter(
            slot_id__in=SlotRole.objects.filter(pk__in=role_ids).values("slot_id")
        )
    )
    profiles = _lock_profiles(volunteer_ids)
    seated = seats_taken_by_role(r.pk for r in roles)
    locked: dict[int, tuple[Slot, list[SlotRole]]] = {}
    for role in roles:
        slot, slot_roles = locked.setdefault(role.slot_id, (role.slot, []))
        role.slot = slot  # one instance per slot, shared by its roles
        role.filled = seated[role.pk]
        slot_roles.append(role)
    return locked, profiles


def slots_seats_give(
    *,
    seats: list[tuple[VolunteerProfile, int]],
    source: str,
) -> list[Assignment | DomainError]:
    """``assignment_create_confirmed`` for several people on one or more slots (a matcher
    publication): each ``(volunteer, role id)`` in turn gets a confirmed seat or the error that
    refuses it, in the order given, judged by the same rules as if given one after the other
    (a seat given counts for her later ones). One locked transaction (the slots' roles, then
    every profile), the facts of all of them loaded together, the new seats, texts and
    invitations written in bulk: a fixed number of queries whatever the number of people and
    of slots. The volunteers come with their user."""
    outcomes: list[Assignment | DomainError] = []
    if not seats:
        return outcomes
    # No savepoint inside a caller's transaction: a refusal is returned, not raised.
    with transaction.atomic(savepoint=False):
        locked, profiles = _lock_slots(
            role_ids=sorted({role_id for _v, role_id in seats}),
            volunteer_ids=[v.pk for v, _role in seats],
        )
        slot_of_role = {r.pk: slot.pk for slot, roles in locked.values() for r in roles}
        for volunteer, _role in seats:
            row = profiles.get(volunteer.pk)
            if row is not None:
                volunteer.languages = row["languages"]
                volunteer.max_hours_per_week = row["max_hours_per_week"]
        slots = [slot for slot, _roles in locked.values()]
        facts_by_id = eligibility.facts_load_many(
            volunteers=[v for v, _role in seats],
            around=(min(s.starts_at for s in slots), max(s.ends_at for s in slots))
            if slots
            else None,
            teams=any(s.activity.team_id is not None for s in slots),
        )
        created: list[Assignment] = []
        for volunteer, role_id in seats:
            try:
                slot, roles = locked.get(slot_of_role.get(role_id), (None, []))
                if slot is None:
                    raise DomainError(
                        _("This role is not part of the shift."), code="role_not_in_slot"
                    )
                role = _role_of(slot, roles, role_id)
                outcome = _seat_give(slot, roles, role, facts_by_id[volunteer.pk], source)
            except DomainError as exc:
                outcomes.append(exc)
                continue
            if outcome.pk is None:
                created.append(outcome)
            outcomes.append(outcome)
        Assignment.objects.bulk_create(created)
        notices.assignments_given(created)
    return outcomes


def _seat_give(
    slot: Slot,
    roles: list[SlotRole],
    role: SlotRole,
    facts: eligibility.VolunteerFacts,
    source: str,
) -> Assignment:
    """One seat of ``slots_seats_give``, under its locks: an existing seat as it is, her
    waitlisted entry promoted (saved and told here), or a new assignment not yet saved. The
    facts and the role's count move on as if it had been saved."""
    volunteer = facts.volunteer
    existing, held = _seat_allowed(facts, slot, roles, role)
    if held:
        return existing
    if existing is not None:
        # She was waiting, or holds another role of the slot: her entry becomes the seat.
        was_confirmed = existing.status == Assignment.Status.CONFIRMED
        for old in roles:
            if was_confirmed and old.pk == existing.role_id:
                old.filled -= 1
        existing.role = role
        existing.status = Assignment.Status.CONFIRMED
        existing.source = source
        existing.sequence = F("sequence") + 1
        existing.save(update_fields=["role", "status", "source", "sequence", "updated_at"])
        existing.refresh_from_db()
        if not was_confirmed:
            notices.assignment_promoted(existing)
        assignment = existing
    else:
        assignment = Assignment(
            slot=slot,
            role=role,
            volunteer=volunteer,
            status=Assignment.Status.CONFIRMED,
            source=source,
        )
    role.filled += 1
    facts.live_by_slot[slot.pk] = assignment
    # A seat not saved yet has no id: a negative one, unique among hers, stands for it.
    booked_id = assignment.pk if assignment.pk is not None else -1 - len(facts.booked)
    facts.booked.append(
        Booked(slot.pk, slot.starts_at, slot.ends_at, Assignment.Status.CONFIRMED, booked_id)
    )
    return assignment


def may_manage(*, user, slot: Slot) -> bool:
    """Hosts of the slot's venue and coordinators of its area (and admins)."""
    if not (user and user.is_authenticated):
        return False
    # Only a host, a coordinator or an admin manages any venue: her roles, read once a request
    # (the menu reads them too), spare everyone else the question about this venue.
    if not user.is_superuser and not {Role.HOST, Role.COORDINATOR} & set(roles_of(user)):
        return False
    return venue_can_edit(user=user, venue=slot.activity.venue)


def _is_own(user, assignment: Assignment) -> bool:
    return bool(user and user.is_authenticated and assignment.volunteer.user_id == user.pk)


def _promote_next(*, slot: Slot, role: SlotRole, now) -> Assignment | None:
    """Give the freed seat to the first on the role's waitlist who still fits."""
    waiting = list(
        Assignment.objects.filter(role=role, status=Assignment.Status.WAITLISTED)
        .select_related("volunteer")
        .order_by("created_at", "pk")
    )
    for candidate in waiting:
        facts = _facts(candidate.volunteer, slot)
        verdict = eligibility.slot_verdict(
            facts, slot, roles=[role], role=role, now=now, ignore=candidate.pk
        )
        if verdict.ok and not verdict.full:
            candidate.status = Assignment.Status.CONFIRMED
            candidate.sequence = F("sequence") + 1
            candidate.save(update_fields=["status", "sequence", "updated_at"])
            candidate.refresh_from_db()
            notices.assignment_promoted(candidate)
            return candidate
    return None


def _relock(assignment: Assignment) -> Assignment:
    """The sign-up re-read and locked, last (after the roles and profiles, as its update would
    lock it): its status and sequence, read here, cannot move before the change commits. Her
    profile and account come along, read only when the caller did not bring them."""
    volunteer = None
    if Assignment.volunteer.is_cached(assignment):
        volunteer = assignment.volunteer
        if not VolunteerProfile.user.is_cached(volunteer):
            volunteer = None
    rows = Assignment.objects.select_for_update(of=("self",))
    if volunteer is None:
        rows = rows.select_related("volunteer__user")
    fresh = rows.get(pk=assignment.pk)
    if volunteer is not None:
        fresh.volunteer = volunteer
    return fresh


def assignment_cancel(*, assignment: Assignment, by) -> Assignment:
    """Cancel a sign-up (her own, or by a host/coordinator in scope). After the cut-off
    (``SIGNUP_CANCEL_CUTOFF_HOURS`` before the start) her own cancellation is recorded as late.
    A freed seat goes at once to the first waitlisted volunteer who still fits."""
    own = _is_own(by, assignment)
    if not own and not may_manage(user=by, slot=assignment.slot):
        raise NotFound(_("No such sign-up."))
    now = timezone.now()
    # Her texts and invitation, the backfill and whoever moves up go to the broker together.
    with transaction.atomic(), hand_overs_together():
        slot, roles = _lock(
            slot=assignment.slot, volunteer_ids=[assignment.volunteer_id], waitlist=True
        )
        return _cancel_locked(_relock(assignment), slot, roles, own=own, now=now)


def assignment_cancel_own(*, pk: int, volunteer: VolunteerProfile) -> Assignment | None:
    """``assignment_cancel`` of her own sign-up ``pk`` by herself (``volunteer``: her profile,
    with her user), without reading it first: the statement that locks its slot's roles finds
    it, among hers only, so that it locks nothing of anyone else's. None when she has no
    sign-up ``pk``: the caller looks it up as anyone's (a host's or coordinator's, or none)."""
    now = timezone.now()
    with transaction.atomic(), hand_overs_together():
        roles = _roles_lock(own=(pk, volunteer.pk))
        if not roles:
            return None
        slot, roles = _lock(
            slot=roles[0].slot, volunteer_ids=[volunteer.pk], waitlist=True, roles=roles
        )
        mine = _relock(Assignment(pk=pk, volunteer=volunteer))
        return _cancel_locked(mine, slot, roles, own=True, now=now)


def _cancel_locked(
    assignment: Assignment, slot: Slot, roles: list[SlotRole], *, own: bool, now
) -> Assignment:
    """The cancellation, under the locks of ``_lock`` and ``_relock`` (``assignment``)."""
    if assignment.status == Assignment.Status.CANCELLED:
        return assignment
    if assignment.status not in (Assignment.Status.CONFIRMED, Assignment.Status.WAITLISTED):
        raise Conflict(
            _("Attendance has already been recorded for this shift."), code="already_marked"
        )
    if slot.ends_at <= now:
        raise Conflict(_("This shift has already taken place."), code=eligibility.SLOT_PAST)
    _fresh(assignment.volunteer, slot)
    was_seated = assignment.status == Assignment.Status.CONFIRMED
    cutoff = slot.starts_at - timedelta(hours=settings.SIGNUP_CANCEL_CUTOFF_HOURS)
    assignment.status = Assignment.Status.CANCELLED
    assignment.cancelled_at = now
    assignment.cancelled_late = bool(own and was_seated and now > cutoff)
    # One step up, the one the calendar's cancellation carries (``written``).
    assignment.sequence += 1
    assignment.save(
        update_fields=["status", "cancelled_at", "cancelled_late", "sequence", "updated_at"]
    )
    # The slot read under the lock (with its activity and venue), her role (of those
    # locked) and her user stay attached for the notices.
    assignment.slot = slot
    role = assignment.role = next(r for r in roles if r.pk == assignment.role_id)
    notices.assignment_cancelled(assignment, written=True)
    backfill.backfill_trigger(role_id=assignment.role_id, slot=slot, now=now)
    if was_seated:
        role.filled -= 1
        if role.filled < role.needed and slot.starts_at > now and slot.waiting_ids:
            _promote_next(slot=slot, role=role, now=now)
    return assignment


def slot_waitlist_promote(*, slot: Slot) -> list[Assignment]:
    """Fill free seats from the waitlist (after a role's need was raised, say): in each role,
    the first waiting volunteers who still fit move up, one per free seat."""
    now = timezone.now()
    promoted: list[Assignment] = []
    with transaction.atomic():
        slot, roles = _lock(slot=slot, volunteer_ids=[], waitlist=True)
        if slot.status != Slot.Status.SCHEDULED or slot.starts_at <= now or not slot.waiting_ids:
            return promoted
        for role in roles:
            while role.filled < role.needed:
                moved = _promote_next(slot=slot, role=role, now=now)
                if moved is None:
                    break
                role.filled += 1
                promoted.append(moved)
    return promoted


def assignment_reconfirm(*, assignment: Assignment, by) -> Assignment:
    """She says she is coming (the page's button, the API, or an SMS reply "Y"). Only she can:
    a host or coordinator who sees the sign-up is refused (403)."""
    if not _is_own(by, assignment):
        raise NotAllowed(
            _("Only the volunteer herself can reconfirm her shift."), code="not_your_shift"
        )
    if assignment.status != Assignment.Status.CONFIRMED:
        raise Conflict(_("Only a confirmed shift can be reconfirmed."), code="not_confirmed")
    if assignment.slot.ends_at <= timezone.now():
        raise Conflict(_("This shift has already taken place."), code=eligibility.SLOT_PAST)
    Assignment.objects.filter(pk=assignment.pk).update(
        reconfirmed_at=timezone.now(), updated_at=timezone.now()
    )
    assignment.refresh_from_db()
    return assignment


def checkin_window(slot: Slot):
    """When a volunteer may check herself in: around the start of the shift."""
    return (
        slot.starts_at - timedelta(minutes=settings.CHECKIN_WINDOW_BEFORE_MINUTES),
        slot.starts_at + timedelta(minutes=settings.CHECKIN_WINDOW_AFTER_MINUTES),
    )


def _attend(assignment: Assignment, now) -> Assignment:
    assignment.status = Assignment.Status.ATTENDED
    assignment.checked_in_at = assignment.checked_in_at or now
    assignment.save(update_fields=["status", "checked_in_at", "updated_at"])
    return assignment


def assignment_check_in(*, assignment: Assignment, by) -> Assignment:
    """Check in: the volunteer herself within the window, or a host/coordinator in scope at
    any time from the window's opening."""
    own = _is_own(by, assignment)
    manager = may_manage(user=by, slot=assignment.slot)
    if not own and not manager:
        raise NotFound(_("No such sign-up."))
    now = timezone.now()
    opens, closes = checkin_window(assignment.slot)
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.status == Assignment.Status.ATTENDED:
            return assignment
        if assignment.status not in (Assignment.Status.CONFIRMED, Assignment.Status.NO_SHOW):
            raise Conflict(_("Only a confirmed volunteer can be checked in."), code="not_confirmed")
        if now < opens or (not manager and now > closes):
            raise DomainError(
                _("Check-in is open from %(opens)s to %(closes)s.")
                % {
                    "opens": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"),
                    "closes": timezone.localtime(closes).strftime("%H:%M"),
                },
                code="checkin_closed",
            )
        return _attend(assignment, now)


def slot_check_in_by_token(*, token: str, volunteer: VolunteerProfile) -> Assignment:
    """Check in through the slot's QR code or link."""
    slot = Slot.objects.select_related("activity__venue").filter(checkin_token=token).first()
    if slot is None:
        raise NotFound(_("This check-in link is not valid."))
    assignment = (
        Assignment.objects.filter(slot=slot, volunteer=volunteer)
        .exclude(status=Assignment.Status.CANCELLED)
        .select_related("slot__activity__venue", "volunteer")
        .first()
    )
    if assignment is None or assignment.status == Assignment.Status.WAITLISTED:
        raise DomainError(
            _("You do not have a confirmed seat on this shift."), code="not_confirmed"
        )
    return assignment_check_in(assignment=assignment, by=volunteer.user)


def assignment_mark(*, assignment: Assignment, status: str, by) -> Assignment:
    """The host (or a coordinator) records attendance: ``attended`` or ``no_show``."""
    if status not in (Assignment.Status.ATTENDED, Assignment.Status.NO_SHOW):
        raise DomainError(_("Mark a volunteer as attended or as a no-show."), field="status")
    if not may_manage(user=by, slot=assignment.slot):
        raise NotAllowed(
            _("Only the venue's hosts and the area's coordinators record attendance."),
            code="not_your_venue",
        )
    opens, _closes = checkin_window(assignment.slot)
    if timezone.now() < opens:
        raise DomainError(
            _("Attendance can be recorded once the shift is about to start."),
            code="checkin_closed",
        )
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.status not in Assignment.SEATED:
            raise Conflict(
                _("Only a confirmed volunteer's attendance can be recorded."),
                code="not_confirmed",
            )
        if status == Assignment.Status.ATTENDED:
            return _attend(assignment, timezone.now())
        assignment.status = Assignment.Status.NO_SHOW
        assignment.checked_in_at = None
        assignment.save(update_fields=["status", "checked_in_at", "updated_at"])
        return assignment


def _seat_allowed(
    facts: eligibility.VolunteerFacts, slot: Slot, roles: list[SlotRole], role: SlotRole
) -> tuple[Assignment | None, bool]:
    """Whether a seat in ``role`` may be given to her, under the slot's locks: her live entry on
    the slot, and whether it already is that seat. Raises the refusal otherwise (attendance
    already recorded, a rule she does not meet, no seat left)."""
    existing = facts.live_by_slot.get(slot.pk)
    if (
        existing is not None
        and existing.status == Assignment.Status.CONFIRMED
        and existing.role_id == role.pk
    ):
        return existing, True
    if existing is not None and existing.status not in (
        Assignment.Status.CONFIRMED,
        Assignment.Status.WAITLISTED,
    ):
        raise Conflict(
            _("Attendance has already been recorded for this shift."), code="already_marked"
        )
    verdict = eligibility.slot_verdict(
        facts, slot, roles=roles, role=role, ignore=existing.pk if existing else None
    )
    if not verdict.ok:
        _raise(verdict.refusals)
    if verdict.full:
        raise Conflict(_("Every seat of this role is taken."), code=eligibility.FULL)
    return existing, False
