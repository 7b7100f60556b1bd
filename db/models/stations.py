"""Neighbourhood red stations (近鄰紅色驛站): places in a compound, what they offer, who is
on duty there."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, enum_column, utcnow


class StationFunction(StrEnum):
    PARTY_EDUCATION = "PARTY_EDUCATION"
    ELDER_CARE = "ELDER_CARE"
    DELIBERATION = "DELIBERATION"
    CHILDCARE = "CHILDCARE"
    READING = "READING"
    FITNESS = "FITNESS"
    VOLUNTEER_SERVICE = "VOLUNTEER_SERVICE"


class DutyRole(StrEnum):
    PARTY_MEMBER = "PARTY_MEMBER"
    VOLUNTEER = "VOLUNTEER"
    STATION_KEEPER = "STATION_KEEPER"


class Station(SQLModel, table=True):
    __tablename__ = "station"
    __table_args__ = (
        # One name per compound; also the index behind "a compound's stations by name".
        sa.Index("uq_station_compound_name", "compound_id", "name", unique=True),
        sa.Index("ix_station_name", "name", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="organisation.id")
    name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=200)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class StationFunctionRow(SQLModel, table=True):
    """One function a station offers: a row per (station, function), so stations filter by
    function through an index."""

    __tablename__ = "station_function"
    __table_args__ = (sa.Index("ix_station_function_function", "function", "station_id"),)

    station_id: int = Field(foreign_key="station.id", primary_key=True)
    function: StationFunction = Field(sa_type=enum_column(StationFunction), primary_key=True)


class StationDuty(SQLModel, table=True):
    """One slot of a station's roster: every WEEKDAY (1 = Monday ... 7 = Sunday) or on one DATE,
    from STARTS_AT to ENDS_AT local time."""

    __tablename__ = "station_duty"
    __table_args__ = (
        sa.CheckConstraint(
            "(weekday IS NULL) <> (on_date IS NULL)", name="ck_station_duty_weekday_or_date"
        ),
        sa.CheckConstraint(
            "weekday IS NULL OR weekday BETWEEN 1 AND 7", name="ck_station_duty_weekday"
        ),
        sa.CheckConstraint("starts_at < ends_at", name="ck_station_duty_slot"),
        sa.Index("ix_station_duty_station", "station_id", "weekday", "starts_at", "id"),
        sa.Index("ix_station_duty_station_date", "station_id", "on_date", "starts_at", "id"),
        sa.Index("ix_station_duty_person", "person_id", "station_id"),
        sa.Index("ix_station_duty_compound", "compound_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(foreign_key="station.id")
    # The station's compound, kept here so duties are scoped like every compound record.
    compound_id: int = Field(foreign_key="organisation.id")
    person_id: int = Field(foreign_key="person.id")
    weekday: int | None = None
    on_date: date | None = None
    starts_at: time
    ends_at: time
    role: DutyRole = Field(sa_type=enum_column(DutyRole))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
