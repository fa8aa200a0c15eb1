"""Mediation's tables: places and people (compounds, mediators, partners, operators), disputes
and their parties, the work on a case (assignments, visits, escalations, sessions, follow-ups)
and the matcher runs over many disputes."""

from .disputes import Compound, Dispute, Party
from .people import HotlineOperator, MediatorConflict, MediatorProfile, PartnerContact
from .runs import MediationGap, MediationProposal, MediationRun
from .work import Escalation, FollowUp, MediatorAssignment, Session, Visit

__all__ = [
    "Compound",
    "Dispute",
    "Escalation",
    "FollowUp",
    "HotlineOperator",
    "MediationGap",
    "MediationProposal",
    "MediationRun",
    "MediatorAssignment",
    "MediatorConflict",
    "MediatorProfile",
    "PartnerContact",
    "Party",
    "Session",
    "Visit",
]
