"""Every workflow transition form of the desk is rendered from one partial, from the
TransitionForm's own fields: no template writes one out by hand."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PARTIAL = TEMPLATES / "desk" / "_transition_form.html"


def test_only_the_partial_posts_to_the_transition_view() -> None:
    posting = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "'desk.transition'" in path.read_text(encoding="utf-8")
    )
    assert posting == ["desk/_transition_form.html"]
    text = PARTIAL.read_text(encoding="utf-8")
    # The CSRF token and the version come from the form's fields, not from hand-written inputs.
    assert "form.csrf_token(" in text and "form.version(" in text
    assert 'name="csrf_token"' not in text and 'name="version"' not in text
