"""The ground floor: what every app uses and no app owns.

Access decorators, form feedback, widgets, the on-commit queue helper, email sending, the
service worker and logout, links out of the site, and SVG chart drawing. A plain package,
not a Django app: it has no models, templates or tags. It imports no app of the project
(an import-linter contract in pyproject.toml keeps it so).
"""
