"""The mediation cast: a district with two streets, coordinators in and out of an area, a
hotline operator, mediators (assigned, unassigned, living in a party's compound, a man), a
volunteer, a host, an administrator; and a dispute taken in through the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from mediation.models import Compound, Dispute, HotlineOperator, MediatorProfile, PartnerContact
from mediation.services.assignment import dispute_assign
from mediation.services.intake import PartyInput, dispute_create
from tests.factories import (
    AreaFactory,
    CommunityFactory,
    CoordinatorFactory,
    SkillFactory,
    StreetFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)

# A Tuesday morning in Shanghai.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NARRATIVE = "丈夫酗酒后多次推搡妻子，邻居报警两次。"
PARTY_NAMES = ("王秀英", "李建国")
PARTY_PHONES = ("+8613911112222", "+8613933334444")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class World:
    district: object
    street: object
    other_street: object
    community: object
    other_community: object
    home: Compound
    neighbours: Compound
    far: Compound
    district_coordinator: object
    coordinator: object
    other_coordinator: object
    operator: object
    admin: object
    volunteer: object
    host: object
    lead: object
    assistant: object
    spare: object
    same_compound: object
    man: object
    partner: PartnerContact
    venue: object

    def dispute(self, **extra) -> Dispute:
        values = {
            "by": self.coordinator,
            "source": Dispute.Source.HOTLINE,
            "kind": Dispute.Kind.DOMESTIC_VIOLENCE,
            "area": self.community,
            "compound": self.home,
            "narrative": NARRATIVE,
            "lawful_basis": Dispute.Basis.CONSENT,
            "consent_given": True,
            "urgency": Dispute.Urgency.HIGH,
            "safety_risk": True,
            "gender_preference": "female",
            "parties": [
                PartyInput(name=PARTY_NAMES[0], phone=PARTY_PHONES[0], relation="spouse"),
                PartyInput(
                    name=PARTY_NAMES[1], phone=PARTY_PHONES[1], relation="spouse", unsafe_sms=False
                ),
            ],
        }
        values.update(extra)
        return dispute_create(**values)

    def assigned(self, **extra) -> Dispute:
        dispute = self.dispute(**extra)
        dispute_assign(
            by=self.coordinator,
            dispute_id=dispute.pk,
            lead_id=self.lead.pk,
            assistant_id=self.assistant.pk,
        )
        dispute.refresh_from_db()
        return dispute


def _compound(name, area, lat, lon):
    return Compound.objects.create(
        name=name, name_en=name, area=area, latitude=Decimal(lat), longitude=Decimal(lon)
    )


def make_mediator(
    skill, *, email, name, lat, lon, compound=None, gender="female", home_area=None, **settings
):
    user = UserFactory(email=email, name=name)
    volunteer = VolunteerFactory(
        user=user,
        home_area=home_area,
        # Demo and real mediators confirmed their numbers (unconfirmed ones confirm at sign-in).
        phone_verified_at=timezone.now(),
        with_skills=[skill],
        languages=["zh"],
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        max_travel_km=Decimal("15"),
    )
    MediatorProfile.objects.create(
        volunteer=volunteer,
        gender=gender,
        compound=compound,
        specialties=settings.pop(
            "specialties", ["family", "neighbour", "property", "domestic_violence", "other"]
        ),
        **settings,
    )
    return user


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The cast, in the database (tests and the browser journey share it)."""
    district = AreaFactory(name="长宁区", name_en="Changning")
    street = StreetFactory(parent=district, name="虹桥街道", name_en="Hongqiao")
    other_street = StreetFactory(parent=district, name="华阳路街道", name_en="Huayang")
    community = CommunityFactory(parent=street, name="古北社区", name_en="Gubei")
    other_community = CommunityFactory(parent=other_street, name="华阳社区", name_en="Huayang C")
    home = _compound("古北一村", community, "31.2000", "121.4000")
    neighbours = _compound("古北二村", community, "31.2050", "121.4050")
    far = _compound("华阳新村", other_community, "31.2200", "121.4300")
    skill = SkillFactory(
        code="mediation", name="矛盾调解", name_en="Mediation", needs_verification=True
    )

    def coordinator(email, area):
        user = UserFactory(email=email)
        CoordinatorFactory(user=user, area=area)
        return user

    operator = UserFactory(email="hotline@example.org")
    HotlineOperator.objects.create(user=operator, area=street)
    host = UserFactory(email="host@example.org")
    venue = VenueFactory(area=community, hosts=[host], name="古北妇女之家", name_en="Gubei Home")
    venue.rooms.create(name="调解室", capacity=6)
    return World(
        district=district,
        street=street,
        other_street=other_street,
        community=community,
        other_community=other_community,
        home=home,
        neighbours=neighbours,
        far=far,
        district_coordinator=coordinator("district@example.org", district),
        coordinator=coordinator("street@example.org", street),
        other_coordinator=coordinator("other-street@example.org", other_street),
        operator=operator,
        admin=UserFactory(email="admin@example.org", is_superuser=True, is_staff=True),
        volunteer=VolunteerFactory(user=UserFactory(email="volunteer@example.org")).user,
        host=host,
        lead=make_mediator(
            skill,
            home_area=community,
            email="lead@example.org",
            name="张丽",
            lat="31.2010",
            lon="121.4010",
            compound=neighbours,
        ),
        assistant=make_mediator(
            skill,
            home_area=community,
            email="assistant@example.org",
            name="刘芳",
            lat="31.2030",
            lon="121.4030",
            compound=far,
            can_lead=False,
        ),
        spare=make_mediator(
            skill,
            home_area=community,
            email="spare@example.org",
            name="陈静",
            lat="31.2100",
            lon="121.4100",
            compound=far,
        ),
        same_compound=make_mediator(
            skill,
            home_area=community,
            email="neighbour@example.org",
            name="赵敏",
            lat="31.2001",
            lon="121.4001",
            compound=home,
        ),
        man=make_mediator(
            skill,
            home_area=community,
            email="man@example.org",
            name="孙强",
            lat="31.2002",
            lon="121.4002",
            compound=far,
            gender="male",
        ),
        partner=PartnerContact.objects.create(
            area=street, kind="police", organisation="虹桥派出所", phone="+8613955556666"
        ),
        venue=venue,
    )


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def web(client):
    def login(user):
        client.force_login(user)
        return client

    return login
