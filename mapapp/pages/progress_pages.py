"""Routes: leaders' dashboard, project pages, directives, progress-report form."""
