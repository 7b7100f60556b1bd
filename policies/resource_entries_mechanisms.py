"""Registry entries for the mechanisms the article adds to a compound's governance: public
disclosure, funds, the branch deliberating first, mobilisation, mentoring and commendations;
and the two resources read on other resources' rows (points, indicators). Written with
policies/resource_entries_helpers.py's shorthands."""

from __future__ import annotations

from sqlmodel import col

from db.models import (
    Commendation,
    CompoundMeeting,
    CompoundMeetingItem,
    FundEntry,
    MentorPair,
    Mobilisation,
    MobilisationRecipient,
    Notice,
    NoticeQuestion,
    Organisation,
    Person,
)
from policies import scopes
from policies.resource_entries_helpers import action_set, compound_column, organisation_column
from policies.resource_types import Placement, Resource, RowKind

MECHANISMS: tuple[Resource, ...] = (
    # Public disclosure (兩公開): notices and residents' questions on them.
    Resource(
        "notice",
        Notice,
        scopes.NOTICE,
        action_set("read", "publish", "withdraw", "ask", "mark_read"),
        (RowKind("notice", Notice, compound_column(Notice.compound_id)),),
    ),
    Resource(
        "notice_question",
        NoticeQuestion,
        scopes.NOTICE_QUESTION,
        action_set("read", "read_asker", "answer"),
        (RowKind("notice_question", NoticeQuestion, compound_column(NoticeQuestion.compound_id)),),
    ),
    # Funds (經費與公共收益): grants to a branch and its spending, public revenue and its
    # distribution, reversals; entries of a double-entry fund ledger, which lies in a compound
    # or (a joint branch's) in a grid, in no compound.
    Resource(
        "fund",
        FundEntry,
        scopes.FUND,
        action_set("read", "grant", "record_revenue", "distribute", "spend"),
        (RowKind("fund_entry", FundEntry, organisation_column(FundEntry.ledger_id)),),
    ),
    # The branch deliberates first (小區黨支部先議): branch and owners' committee meetings.
    Resource(
        "compound_meeting",
        CompoundMeeting,
        scopes.COMPOUND_MEETING,
        action_set("read", "schedule", "edit_agenda", "record_attendance", "hold", "cancel"),
        (
            RowKind(
                "compound_meeting", CompoundMeeting, compound_column(CompoundMeeting.compound_id)
            ),
            # An agenda item is read with its meeting.
            RowKind(
                "compound_meeting_item",
                CompoundMeetingItem,
                Placement(
                    col(CompoundMeeting.compound_id),
                    joins=(
                        (
                            CompoundMeeting,
                            col(CompoundMeeting.id) == col(CompoundMeetingItem.meeting_id),
                        ),
                    ),
                ),
                audited=False,
            ),
        ),
    ),
    # Mobilisation (一聲令下): a call sent to a subtree, and each person it called on. A call
    # lies in its target organisation (perhaps a street, above every compound).
    Resource(
        "mobilisation",
        Mobilisation,
        scopes.MOBILISATION,
        action_set("read", "send", "close"),
        (RowKind("mobilisation", Mobilisation, organisation_column(Mobilisation.target_id)),),
    ),
    Resource(
        "mobilisation_recipient",
        MobilisationRecipient,
        scopes.MOBILISATION_RECIPIENT,
        action_set("read", "respond"),
        (
            RowKind(
                "mobilisation_recipient",
                MobilisationRecipient,
                Placement(
                    col(Mobilisation.target_id),
                    organisation=True,
                    joins=(
                        (
                            Mobilisation,
                            col(Mobilisation.id) == col(MobilisationRecipient.mobilisation_id),
                        ),
                    ),
                ),
            ),
        ),
    ),
    # Mentoring (導師幫帶) and commendations (兩優一先), set up from above the compound.
    Resource(
        "mentoring",
        MentorPair,
        scopes.MENTORING,
        action_set("read", "pair", "end"),
        (RowKind("mentor_pair", MentorPair, compound_column(MentorPair.compound_id)),),
    ),
    Resource(
        "commendation",
        Commendation,
        scopes.COMMENDATION,
        action_set("read", "commend", "withdraw"),
        (RowKind("commendation", Commendation, compound_column(Commendation.compound_id)),),
    ),
    # A person's points balance and passbook are read on the person's row.
    Resource("points", Person, scopes.PERSON, action_set("read")),
    # Compound indicators are read on the compound's organisation row.
    Resource("indicators", Organisation, scopes.ORGANISATION, action_set("read")),
)
