from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import routes, site, two_factor  # noqa: E402, F401
