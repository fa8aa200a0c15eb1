"""Her roles, read by one statement made once in a process: each person gets her own."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mediation.models import HotlineOperator
from mediation.selectors.access import is_hotline_operator
from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    SkillFactory,
    StreetFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
    VolunteerSkillFactory,
)
from venues.selectors import coordinator_area_ids
from volunteers.roles import MEDIATION_SKILL, Role, roles_of

pytestmark = pytest.mark.django_db


def fresh(user):
    """Her row read again, as the next request reads it (nothing kept on the object)."""
    return type(user).objects.get(pk=user.pk)


def test_each_person_gets_her_own_roles_areas_and_ties():
    mediation = SkillFactory(code=MEDIATION_SKILL, needs_verification=True)
    plain = UserFactory()
    volunteer = VolunteerFactory().user
    unverified = VolunteerFactory()
    VolunteerSkillFactory(volunteer=unverified, skill=mediation)
    mediator = VolunteerFactory()
    VolunteerSkillFactory(volunteer=mediator, skill=mediation, verified_at=timezone.now())
    host = UserFactory()
    VenueFactory(hosts=[host])
    district, street = AreaFactory(), StreetFactory()
    coordinator = UserFactory()
    CoordinatorFactory(user=coordinator, area=district)
    CoordinatorFactory(user=coordinator, area=street)
    operator = UserFactory()
    HotlineOperator.objects.create(user=operator, area=street)
    admin = UserFactory(is_superuser=True, is_staff=True)

    expected = {
        plain: ([], []),
        volunteer: ([Role.VOLUNTEER], []),
        unverified.user: ([Role.VOLUNTEER], []),
        mediator.user: ([Role.VOLUNTEER, Role.MEDIATOR], []),
        host: ([Role.HOST], []),
        coordinator: ([Role.COORDINATOR], sorted([district.pk, street.pk])),
        operator: ([], []),
        admin: ([Role.ADMIN], []),
    }
    # Twice round, in turns: the statement kept from one person's read answers for the next.
    for _ in range(2):
        for user, (roles, areas) in expected.items():
            user = fresh(user)
            assert roles_of(user) == roles, user.email
            assert sorted(coordinator_area_ids(user)) == areas, user.email
            assert is_hotline_operator(user) == (user.pk == operator.pk), user.email


def test_her_roles_take_one_query(django_assert_num_queries):
    coordinator = UserFactory()
    CoordinatorFactory(user=coordinator, area=AreaFactory())
    VenueFactory(hosts=[coordinator])
    user = fresh(coordinator)
    with django_assert_num_queries(1):
        assert roles_of(user) == [Role.HOST, Role.COORDINATOR]
        assert roles_of(user) == [Role.HOST, Role.COORDINATOR]
        coordinator_area_ids(user)
        is_hotline_operator(user)
