"""Web plumbing shared by the blueprints: security, templating, error pages."""
