"""The athlete's pages: the session sheet and logging (logbook), check-ins and reports."""
