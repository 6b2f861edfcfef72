"""Running a Pulumi program offline as a preview: project, stack config, Python, host and monitor."""
