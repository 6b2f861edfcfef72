"""Adapters: turn the outside (Pulumi programs and CrossGuard, files, ARM JSON) into core records and settings."""
