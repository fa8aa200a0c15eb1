"""Reads of mediation's data. Every read of disputes goes through ``access``: scope first."""

from .access import (
    ACTIONS,
    dispute_actions,
    dispute_role,
    disputes_visible,
    is_district_admin,
    is_hotline_operator,
    user_can_open_disputes,
)

__all__ = [
    "ACTIONS",
    "dispute_actions",
    "dispute_role",
    "disputes_visible",
    "is_district_admin",
    "is_hotline_operator",
    "user_can_open_disputes",
]
