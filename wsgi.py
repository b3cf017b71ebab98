"""WSGI entry point: `gunicorn wsgi:app`."""

from factcheck import create_app

app = create_app()
