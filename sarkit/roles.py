"""The roles of the people register and their groups (docs/case-folder.md; the roles and groups are a contract)."""

from __future__ import annotations

ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    "subject": ("subject",),
    "family": (
        "mother",
        "father",
        "parent",
        "step-parent",
        "sibling",
        "half-sibling",
        "step-sibling",
        "grandparent",
        "aunt",
        "uncle",
        "cousin",
        "partner-of-parent",
        "relative",
    ),
    "carer": ("foster-carer", "kinship-carer", "special-guardian", "adoptive-parent", "residential-worker"),
    "professional": (
        "social-worker",
        "team-manager",
        "iro",
        "personal-adviser",
        "teacher",
        "head-teacher",
        "health-visitor",
        "school-nurse",
        "nurse",
        "gp",
        "doctor",
        "therapist",
        "police-officer",
        "solicitor",
        "guardian",
        "interpreter",
        "professional",
    ),
    "other": ("other-child", "neighbour", "family-friend", "member-of-public", "other"),
}

# Carers whose named place is their own private home (a residential worker's children's home is a workplace).
PRIVATE_HOME_CARERS: frozenset[str] = frozenset(
    ("foster-carer", "kinship-carer", "special-guardian", "adoptive-parent")
)
GROUP_OF_ROLE: dict[str, str] = {role: group for group, roles in ROLE_GROUPS.items() for role in roles}
ALL_ROLES: frozenset[str] = frozenset(GROUP_OF_ROLE)

# Pronouns a role implies; others are unknown unless the manifest says.
ROLE_PRONOUNS: dict[str, str] = {
    "mother": "she",
    "father": "he",
    "aunt": "she",
    "uncle": "he",
}


def group_of(role: str) -> str:
    return GROUP_OF_ROLE[role]
