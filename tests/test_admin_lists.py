"""The admin's large lists: the same queries for a page of 5 rows or of 60 (nothing read row by
row), and no count of the whole table beside a search."""

from __future__ import annotations

import pytest

from activities.models import Assignment
from tests.factories import AssignmentFactory, SlotRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

# Session and user, the page's count and rows, the date links, the filters' choices.
LIST_QUERIES = 12


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("rows", [5, 60])
@pytest.mark.parametrize(
    "url",
    ["/admin/activities/assignment/", "/admin/activities/slot/", "/admin/activities/slotrole/"],
)
def test_a_list_page_costs_the_same_queries_for_5_or_60_rows(
    admin_client, rows, url, django_assert_max_num_queries
):
    for _ in range(rows):
        AssignmentFactory(role=SlotRoleFactory(label="Reader"))
    with django_assert_max_num_queries(LIST_QUERIES):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows
    assert len(response.context["cl"].result_list) == rows
    if "assignment" in url:
        # Each row names its role with its slot, as before.
        first = Assignment.objects.select_related("role__slot__activity").first()
        assert str(first.role) in response.content.decode()


def test_a_search_does_not_count_the_whole_table(admin_client):
    for _ in range(3):
        AssignmentFactory()
    wanted = AssignmentFactory(volunteer__user__email="wanted@example.org")
    response = admin_client.get("/admin/activities/assignment/", {"q": "wanted@"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]
    assert response.context["cl"].full_result_count is None
    assert "4 total" not in response.content.decode()
