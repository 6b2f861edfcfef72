"""Functional core: records, catalog, rules, engine, waivers, findings. Imports no Pulumi, CLI or Azure library."""
