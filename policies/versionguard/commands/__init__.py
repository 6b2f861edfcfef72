"""Commands: each composes adapters and the core into a result object; none prints."""
