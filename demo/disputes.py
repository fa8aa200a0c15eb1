"""Demo disputes: a year of the federation's mediation work across the district.

Residential compounds in every community, the demo mediators' settings, the "X+N" partner
agencies of each street, and a few hundred disputes of every kind, level and status, with
their parties, teams, visits (the four steps), escalations, follow-ups and a few sessions.
Names, numbers and narratives are invented and stored encrypted like real ones. Decided by the
seed alone; re-running adds only what is missing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from mediation.models import (
    Compound,
    Dispute,
    Escalation,
    FollowUp,
    MediatorAssignment,
    MediatorProfile,
    PartnerContact,
    Party,
    Session,
    Visit,
)
from mediation.models.disputes import REFERENCE_ALPHABET
from venues.models import Area, Room

from . import world
from .people import chinese_name

COMPOUND_SUFFIXES = [
    ("一村", "Village 1"),
    ("二村", "Village 2"),
    ("新苑", "Garden"),
    ("公寓", "Apartments"),
]
NARRATIVES = {
    "family": [
        "婆媳因照顾孙子的方式长期争执，女方情绪低落，希望有人居中调解。",
        "夫妻因家务分担和经济开支多次争吵，女方提出想离婚又顾虑孩子。",
        "老人赡养费用兄弟姐妹分摊不均，子女之间关系紧张。",
        "丈夫长期在外地工作，夫妻沟通减少，因孩子升学问题发生激烈争吵。",
    ],
    "neighbour": [
        "楼上住户装修噪音扰民，双方多次口角，物业协调未果。",
        "楼道堆放杂物影响通行，邻居之间发生争执。",
        "邻居家犬只夜间吠叫影响休息，双方互不相让。",
        "空调外机滴水落在楼下阳台，邻里多次争吵。",
    ],
    "property": [
        "兄妹三人因父母遗留房产的继承份额发生分歧。",
        "离婚后共有房屋的居住和出售问题双方无法达成一致。",
        "老人去世后存款分配问题引发子女矛盾。",
    ],
    "domestic_violence": [
        "女方称丈夫酒后多次推搡，曾报警一次，希望得到帮助和保护。",
        "女方反映丈夫长期言语威胁和控制经济，近期有肢体冲突。",
        "邻居反映隔壁夜间常有争吵和哭声，女方承认曾被打伤。",
    ],
    "other": [
        "租户与房东因押金退还发生纠纷，双方情绪激动。",
        "商住一体小区商户经营噪音与居民发生矛盾。",
    ],
}
VISIT_NOTES = {
    1: "上门走访了解家庭情况，排查安全隐患，当事人情绪基本稳定。",
    2: "组织双方面对面沟通，调解员引导各自表达诉求，初步达成谅解。",
    3: "讲解《民法典》婚姻家庭编和《反家庭暴力法》相关规定，发放宣传资料。",
    4: "电话回访并上门看望，双方关系改善，未再发生冲突。",
}
NEXT_STEPS = ["一周后再次上门回访。", "约双方到妇女之家调解室面谈。", "联系社区民警共同跟进。", ""]
# (status, share)
STATUSES = [
    ("closed", 45),
    ("resolved", 15),
    ("referred", 5),
    ("in_progress", 13),
    ("assigned", 5),
    ("assessed", 7),
    ("new", 10),
]
KINDS = [
    ("family", 34),
    ("neighbour", 30),
    ("property", 14),
    ("domestic_violence", 14),
    ("other", 8),
]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _w in weighted], weights=[w for _k, w in weighted])[0]


def compounds_ensure(*, rng: random.Random, communities: list[Area]) -> list[Compound]:
    street_pos = {zh: (lat, lon) for zh, _en, lat, lon in world.STREETS}
    existing = {(c.area_id, c.name) for c in Compound.objects.all()}
    made = []
    for community in communities:
        lat0, lon0 = street_pos.get(community.parent.name, world.DISTRICT_CENTRE)
        stem = community.name.removesuffix("社区")
        stem_en = community.name_en.removesuffix(" Community")
        for zh, en in COMPOUND_SUFFIXES[: 2 + (community.pk % 2)]:
            name = f"{stem}{zh}"
            if (community.pk, name) in existing:
                continue
            made.append(
                Compound(
                    area=community,
                    name=name,
                    name_en=f"{stem_en} {en}",
                    latitude=Decimal(f"{lat0 + rng.uniform(-0.012, 0.012):.6f}"),
                    longitude=Decimal(f"{lon0 + rng.uniform(-0.012, 0.012):.6f}"),
                )
            )
    Compound.objects.bulk_create(made)
    return list(Compound.objects.filter(area__in=communities).select_related("area__parent"))


def mediators_ensure(*, seed: int, mediators, compounds: list[Compound]) -> None:
    have = set(MediatorProfile.objects.values_list("volunteer_id", flat=True))
    rows = []
    for volunteer in mediators:
        if volunteer.pk in have:
            continue
        rng = random.Random(f"{seed}-mediator-settings-{volunteer.pk}")
        kinds = ["family", "neighbour", "property", "other"]
        if rng.random() < 0.6:
            kinds.append("domestic_violence")
        rows.append(
            MediatorProfile(
                volunteer=volunteer,
                gender="female" if rng.random() < 0.9 else "male",
                compound=rng.choice(compounds),
                caseload_cap=rng.choice([4, 5, 6, 8]),
                can_lead=rng.random() < 0.85,
                specialties=sorted(kinds),
            )
        )
    MediatorProfile.objects.bulk_create(rows, batch_size=1000)


def partners_ensure(*, district: Area, streets: list[Area]) -> None:
    if PartnerContact.objects.exists():
        return
    rows = [
        PartnerContact(
            area=district,
            kind="court",
            organisation="长宁区人民法院家事审判庭",
            person="法官助理",
            phone="+8613800210001",
        ),
        PartnerContact(
            area=district,
            kind="justice",
            organisation="长宁区司法局人民调解科",
            phone="+8613800210002",
            email="tiaojie@justice.demo.invalid",
        ),
    ]
    for i, street in enumerate(streets):
        short = street.name.removesuffix("街道").removesuffix("镇")
        rows.append(
            PartnerContact(
                area=street,
                kind="police",
                organisation=f"{short}派出所",
                person="社区民警",
                phone=f"+86138002110{i:02d}",
            )
        )
        rows.append(
            PartnerContact(
                area=street,
                kind="justice",
                organisation=f"{short}司法所",
                phone=f"+86138002120{i:02d}",
            )
        )
    PartnerContact.objects.bulk_create(rows)


def _reference(rng: random.Random) -> str:
    return "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(7))


class _Plan:
    """Who may take which case, and how many open cases each has (caps are kept)."""

    def __init__(self, mediators) -> None:
        self.people = [
            (v.user_id, v.mediator) for v in mediators if getattr(v, "mediator", None) is not None
        ]
        self.load = {uid: 0 for uid, _m in self.people}
        for uid in MediatorAssignment.objects.filter(
            ended_at__isnull=True, dispute__status__in=Dispute.OPEN, mediator_id__in=self.load
        ).values_list("mediator_id", flat=True):
            self.load[uid] += 1

    def team(self, rng, kind: str, compounds: set[int], open_case: bool):
        def fits(uid, m, lead):
            if m.compound_id in compounds:
                return False
            if lead and not (m.can_lead and kind in m.specialties):
                return False
            # Two places are left free, so that the demo's coordinators can still assign.
            return not open_case or self.load[uid] < m.caseload_cap - 2

        leads = [uid for uid, m in self.people if fits(uid, m, True)]
        if not leads:
            return None, None
        lead = rng.choice(leads)
        helpers = [uid for uid, m in self.people if uid != lead and fits(uid, m, False)]
        helper = (
            rng.choice(helpers)
            if helpers and (kind == "domestic_violence" or rng.random() < 0.3)
            else None
        )
        if kind == "domestic_violence" and helper is None:
            return None, None
        if open_case:
            for uid in (lead, helper):
                if uid is not None:
                    self.load[uid] += 1
        return lead, helper


def disputes_ensure(
    *,
    seed: int,
    count: int,
    district: Area,
    streets: list[Area],
    communities: list[Area],
    coordinator,
    mediators,
    now: datetime,
) -> int:
    """``count`` demo disputes (fewer made when some exist already); returns how many made."""
    rng = random.Random(f"{seed}-disputes")
    compounds = compounds_ensure(rng=rng, communities=communities)
    mediators_ensure(seed=seed, mediators=mediators, compounds=compounds)
    partners_ensure(district=district, streets=streets)
    profiles = {p.volunteer_id: p for p in MediatorProfile.objects.filter(volunteer__in=mediators)}
    for m in mediators:
        m.mediator = profiles.get(m.pk)
    refs = random.Random(f"{seed}-dispute-references")
    references = [_reference(refs) for _ in range(count)]
    have = set(Dispute.objects.filter(reference__in=references).values_list("reference", flat=True))
    plan = _Plan(mediators)
    rooms = list(Room.objects.select_related("venue")[:20])
    made = 0
    # Loaded, not worked on: the audit log starts with what people do in the demo.
    with transaction.atomic(), disable_auditlog():
        for reference in references:
            case_rng = random.Random(f"{seed}-{reference}")
            if reference in have:
                continue
            _one(case_rng, reference, compounds, coordinator, plan, rooms, now)
            made += 1
    return made


def _one(rng, reference, compounds, coordinator, plan, rooms, now) -> None:
    kind = _pick(rng, KINDS)
    status = _pick(rng, STATUSES)
    compound = rng.choice(compounds)
    created = now - timedelta(
        days=rng.randint(2, 360) if status in ("closed", "resolved") else rng.randint(0, 60),
        hours=rng.randint(0, 10),
    )
    source = (
        "home_visit"
        if rng.random() < 0.15
        else rng.choice(["hotline", "hotline", "walk_in", "letter", "referral"])
    )
    level = (
        1
        if source == "home_visit"
        else (3 if kind == "domestic_violence" and rng.random() < 0.5 else 2)
    )
    urgency = 3 if kind == "domestic_violence" and rng.random() < 0.4 else rng.choice([1, 1, 1, 2])
    basis = "consent" if rng.random() < 0.85 else "emergency"
    dispute = Dispute.objects.create(
        reference=reference,
        source=source,
        kind=kind,
        area=compound.area,
        compound=compound,
        language="zh",
        urgency=urgency,
        safety_risk=kind == "domestic_violence" and rng.random() < 0.6,
        gender_preference="female" if kind == "domestic_violence" and rng.random() < 0.5 else "",
        narrative=rng.choice(NARRATIVES[kind]),
        lawful_basis=basis,
        basis_note=None if basis == "consent" else "当事人受伤就医，事后补签同意书。",
        consent_recorded_at=created if basis == "consent" else None,
        status="new",
        level=level,
        created_by=coordinator,
        party_count=2,
    )
    relation = {"neighbour": "neighbour", "property": "sibling"}.get(kind, "spouse")
    Party.objects.bulk_create(
        Party(
            dispute=dispute,
            position=i,
            name=chinese_name(rng),
            phone=f"+86139{rng.randint(10_000_000, 99_999_999)}",
            relation=relation,
            unsafe_sms=kind == "domestic_violence" and i == 1 and rng.random() < 0.7,
        )
        for i in (1, 2)
    )
    open_case = status in ("assigned", "in_progress")
    lead = helper = None
    if status not in ("new", "assessed"):
        lead, helper = plan.team(rng, kind, {compound.pk}, open_case)
        if lead is None:
            status = "assessed"
    stamps = {"created_at": created, "status": status}
    if status != "new":
        stamps["assessed_at"] = created + timedelta(days=1)
    if lead is not None:
        MediatorAssignment.objects.bulk_create(
            MediatorAssignment(dispute=dispute, mediator_id=uid, role=role, assigned_by=coordinator)
            for uid, role in ((lead, "lead"), (helper, "assistant"))
            if uid is not None
        )
        steps = {"assigned": 0, "in_progress": rng.randint(1, 2)}.get(status, rng.randint(2, 4))
        day = created + timedelta(days=2)
        for step in range(1, steps + 1):
            visited = min(day, now - timedelta(days=1))
            visit = Visit.objects.create(
                dispute=dispute,
                step=step,
                visited_on=timezone.localtime(visited).date(),
                what_happened=VISIT_NOTES[step],
                next_step=rng.choice(NEXT_STEPS) or None,
                next_visit_on=timezone.localdate(now) + timedelta(days=rng.randint(-2, 10))
                if status == "in_progress" and step == steps
                else None,
                created_by=coordinator,
            )
            visit.mediators.set([lead] if helper is None else [lead, helper])
            day += timedelta(days=rng.randint(3, 12))
        if level == 3:
            escalation = Escalation.objects.create(
                dispute=dispute, by=coordinator, reason="存在再次伤害风险，请求联动介入。"
            )
            escalation.contacts.set(
                PartnerContact.objects.filter(area__in=[compound.area.parent_id])[:1]
            )
        if status in ("resolved", "closed"):
            resolved = min(day, now - timedelta(days=1))
            stamps["resolved_at"] = resolved
            FollowUp.objects.bulk_create(
                FollowUp(
                    dispute=dispute,
                    due_on=timezone.localtime(resolved).date() + timedelta(days=d),
                    # Follow-ups are done on time, but for the last few days' (still to do).
                    done_at=resolved + timedelta(days=d)
                    if status == "closed" or resolved + timedelta(days=d) < now - timedelta(days=3)
                    else None,
                )
                for d in (7, 30)
            )
        if status in ("closed", "referred"):
            stamps["closed_at"] = (
                min(day + timedelta(days=35), now - timedelta(hours=1))
                if status == "closed"
                else None
            )
        if status == "referred":
            stamps["referred_to"] = rng.choice(["police", "justice", "court"])
        if status == "in_progress" and rooms and rng.random() < 0.3:
            room = rng.choice(rooms)
            start = timezone.localtime(now + timedelta(days=rng.randint(1, 10))).replace(
                hour=rng.choice([10, 14, 15]), minute=0, second=0, microsecond=0
            )
            if not Session.objects.filter(room=room, starts_at=start).exists():
                Session.objects.create(
                    dispute=dispute,
                    venue=room.venue,
                    room=room,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1, minutes=30),
                    created_by=coordinator,
                )
    Dispute.objects.filter(pk=dispute.pk).update(**stamps)
