from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes, two_factor  # noqa: E402, F401
