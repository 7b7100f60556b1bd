"""Global ids: "Type:id" in base64, as Relay expects."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID, GlobalIDValueError

from resolvers.errors import BadUserInput

# Database ids are 32-bit integers on PostgreSQL: a larger number can name nothing.
MAX_ID = 2**31 - 1


def parse_global_id(value: str | strawberry.ID) -> tuple[str, int]:
    try:
        gid = GlobalID.from_id(str(value))
        node_id = int(gid.node_id)
    except (GlobalIDValueError, ValueError) as exc:
        raise BadUserInput(f"{value!r} is not an id this API gave out.") from exc
    if not 0 < node_id <= MAX_ID:
        raise BadUserInput(f"{value!r} is not an id this API gave out.")
    return gid.type_name, node_id


def decode_id(value: str | strawberry.ID, type_name: str) -> int:
    """The database id inside a global id of TYPE_NAME, or BAD_USER_INPUT."""
    found, node_id = parse_global_id(value)
    if found != type_name:
        raise BadUserInput(f"Expected the id of a {type_name}, got the id of a {found}.")
    return node_id


def decode_optional(value: str | strawberry.ID | None, type_name: str) -> int | None:
    return None if value is None else decode_id(value, type_name)


def encode_id(type_name: str, node_id: int) -> strawberry.ID:
    return strawberry.ID(str(GlobalID(type_name=type_name, node_id=str(node_id))))
