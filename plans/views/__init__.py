"""The coach's programming pages: sessions, the exercise library, templates, the calendar."""
