"""The OpenAPI schema generates without a warning and validates, and serves at /api/schema/."""

from __future__ import annotations

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_schema_generates_without_warnings_and_validates():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert not errors, errors
    assert not warnings, warnings
    validate_schema(schema)
    paths = schema["paths"]
    for path in ["/api/v1/auth/token/", "/api/v1/me/", "/api/v1/me/volunteer/"]:
        assert path in paths, path
    assert paths["/api/v1/auth/token/"]["post"].get("security", [{}]) == [{}]  # no auth
    me = schema["components"]["schemas"]["Me"]["properties"]
    assert {"id", "email", "name", "roles", "volunteer", "calendar_feed_url"} <= set(me)


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()  # served locally
