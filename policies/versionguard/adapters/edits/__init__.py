"""Edits of the files a program's values come from: stack files (YAML) and program source (Python)."""
