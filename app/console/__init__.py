"""The supervisors' web console at /console (see routes.py)."""

from __future__ import annotations

from starlette.routing import BaseRoute
from strawberry import Schema

from app.console.chain import ChainStatus
from app.console.routes import Console, Endpoint, load_documents
from app.console.session import CookiePolicy
from app.graphql import GraphQLEndpoint, JinlinGraphQL
from app.settings import Settings
from app.trusted_documents import TrustedDocuments, build_manifest, document_hash
from db.checkpoints import public_key_from
from db.engine import Database
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.console import SESSION_LIFETIME

__all__ = ["console_routes"]


def console_routes(
    settings: Settings, db: Database, schema: Schema, actors: ActorCache, export: Endpoint
) -> list[BaseRoute]:
    """The console's pages and API, on the app's schema, database and actor cache."""
    documents = load_documents()
    # Its own endpoint, running only the console's documents whatever the main one accepts.
    graphql = JinlinGraphQL(schema, graphql_ide=None, allow_queries_via_get=False)
    graphql.documents = TrustedDocuments(build_manifest(list(documents.values())), only=True)
    graphql.documents.prepare(schema)  # a console document the schema refuses stops the start
    endpoint = GraphQLEndpoint(
        graphql, db, settings.secret_key, timeout=settings.request_timeout_seconds, actors=actors
    )
    public_keys = [
        settings.audit_checkpoint_key().public_key(),
        *(public_key_from(key) for key in settings.audit_retired_public_keys),
    ]
    console = Console(
        db=db,
        key=settings.secret_key,
        actors=actors,
        graphql=endpoint,
        export=export,
        chain=ChainStatus(db, public_keys),
        cookies=CookiePolicy(
            secure=settings.is_production, max_age=int(SESSION_LIFETIME.total_seconds())
        ),
        document_ids={name: f"sha256:{document_hash(text)}" for name, text in documents.items()},
    )
    return console.routes()
