"""The application factory: config, extensions, blueprints, error handlers, commands."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from .extensions import cache, csrf, db, limiter, login_manager, migrate
from .web.i18n import LocalizedFlask

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: Any = None, **overrides: Any) -> Flask:
    """Build the application; ``config`` is a class or dotted path, overrides win."""
    app = LocalizedFlask(
        __name__,
        template_folder=os.path.join(ROOT, "templates"),
        instance_path=os.environ.get("FACTCHECK_INSTANCE", os.path.join(ROOT, "instance")),
    )
    app.config.from_object(config or "config.Config")
    app.config.update(overrides)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"))
    csrf.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from . import models  # noqa: F401  (register the tables)
    from .search import tracking

    tracking.install()
    from .web import page_cache as public_cache

    public_cache.install()
    from .jobs import queue, tasks  # noqa: F401  (tasks register on the queue)

    queue.init_app(app)
    from .web import errors, i18n, second_factor, security, templating

    security.init_app(app)
    second_factor.init_app(app)
    templating.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)

    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .desk import bp as desk_bp
    from .public import bp as public_bp

    app.register_blueprint(public_bp)
    # Every public page again under /uk/ (factcheck/web/i18n.py picks the language by it).
    app.register_blueprint(public_bp, url_prefix="/uk", name="public_uk")
    app.register_blueprint(auth_bp)
    app.register_blueprint(desk_bp, url_prefix="/desk")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api")
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never cookies

    from .cli import register

    register(app)
    return app
