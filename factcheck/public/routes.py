from __future__ import annotations

from flask import render_template

from . import bp


@bp.get("/")
def home() -> str:
    return render_template("public/home.html", claims=[])


@bp.get("/claims")
def claims() -> str:
    return render_template("public/home.html", claims=[])


@bp.get("/search")
def search() -> str:
    return render_template("public/home.html", claims=[])
