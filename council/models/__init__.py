"""Typed SQLAlchemy models; the database enforces what must never happen twice."""
from council.models.base import Base
from council.models.people import Council, CouncilGrant, Facilitator, PointRule, Resident
from council.models.meeting import Participant, Proposal, Session, Support, Topic
from council.models.households import Household
from council.models.voting import Ballot, BallotReceipt, Decision, Participation, Poll, PollCount
from council.models.audit import AuditEvent
from council.models.convention import Article, ArticleChange, Convention, ConventionVersion
from council.models.actions import Action, ActionUpdate, Rating
from council.models.setup import SetupToken
from council.models.inbox import Issue, IssueSupport
from council.models.posting import Objection
# Each format keeps its tables in its own package; they are imported here so that every table
# is known to `Base.metadata` (Alembic, create_all) and importable from one place.
from council.formats.dotting.models import Dot
from council.formats.openspace.models import Group, Membership, ReportLine, Slot, Space
from council.formats.cafe.models import CafeRound, CafeTable, Idea, Seat

__all__ = ["Base", "Council", "CouncilGrant", "Facilitator", "Participant", "PointRule", "Resident", "Proposal", "Session", "Support",
           "Topic", "Ballot", "BallotReceipt", "Decision", "Poll", "Action", "Rating", "Household",
           "Participation", "PollCount", "AuditEvent", "ActionUpdate", "Article", "ArticleChange", "Convention",
           "ConventionVersion", "Dot", "Group", "Membership", "ReportLine", "Slot", "Space", "CafeRound",
           "CafeTable", "Idea", "Seat", "SetupToken", "Issue", "IssueSupport", "Objection"]
