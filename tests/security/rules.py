"""A second-factor rule as another app would add one (see accounts.second_factor)."""

from volunteers.roles import Role, has_role


def has_mediation_skill(user) -> bool:
    return has_role(user, Role.MEDIATOR)
