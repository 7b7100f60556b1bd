"""The ASGI application for `uvicorn app.asgi:app`, configured from the environment."""

from app.factory import create_app

app = create_app()
