from flask import Blueprint

bp = Blueprint("public", __name__)

from . import routes, tips  # noqa: E402, F401
