from flask import Blueprint

bp = Blueprint("desk", __name__)

from . import routes  # noqa: E402, F401
