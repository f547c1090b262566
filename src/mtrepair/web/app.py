"""The Starlette app: routes from the page registry, static files, templates, the guard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .config import ServeConfig
from .routing import REGISTRY, WebState, endpoint
from .security import LOOPBACK_HOSTS, Guard, SessionCodec
from .state import Stores

STATIC = Path(__file__).parent / "static"


def templates() -> Environment:
    # autoescape for every template whatever its name: article text, glossary text and reviewer
    # input all reach the pages (issue 13).
    env = Environment(loader=PackageLoader("mtrepair.web", "templates"), autoescape=True, auto_reload=False)
    env.filters["pct"] = lambda v: "" if v is None else f"{float(v):.2f}"
    return env


def create_app(config: ServeConfig, *, session_key: bytes | None = None) -> Starlette:
    from . import pages  # noqa: F401  (registers the routes)

    routes: list[Any] = [Route(spec.path, endpoint(spec), methods=list(spec.methods)) for spec in REGISTRY]
    routes.append(Mount("/static", app=StaticFiles(directory=STATIC), name="static"))
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                Guard,
                body_limit=config.body_limit,
                limits={"/glossary/import": config.import_limit},
                hosts=None if config.token else LOOPBACK_HOSTS,
            )
        ],
    )
    app.state.web = WebState(
        config=config,
        stores=Stores(config.corpus, config.glossary),
        codec=SessionCodec(session_key),
        templates=templates(),
    )
    return app


def serve(config: ServeConfig, *, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run the app with uvicorn until interrupted (the CLI's ``mtrepair serve``)."""
    import uvicorn

    from .config import check_host

    check_host(host, config.token)
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning", server_header=False)
