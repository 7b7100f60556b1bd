"""The development explorer (GraphiQL), served with every asset from this package.

strawberry's own page loads React and GraphiQL from a public CDN, which is slow or blocked
where the compounds are; this page names only files under ASSETS_PATH.
"""

from __future__ import annotations

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

ASSETS_PATH = "/graphiql-assets"

PAGE = f"""<!DOCTYPE html>
<html lang="zh-Hans">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Jinlin GraphiQL</title>
  <style>html, body, #graphiql {{ height: 100%; margin: 0; overflow: hidden; }}</style>
  <link rel="stylesheet" href="{ASSETS_PATH}/graphiql.min.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="{ASSETS_PATH}/react.production.min.js"></script>
  <script src="{ASSETS_PATH}/react-dom.production.min.js"></script>
  <script src="{ASSETS_PATH}/graphiql.min.js"></script>
  <script src="{ASSETS_PATH}/explorer.js"></script>
</body>
</html>
"""


def assets_route() -> Mount:
    """The explorer's files, read from the installed package."""
    return Mount(ASSETS_PATH, app=StaticFiles(packages=[("app.graphiql", "static")]))
