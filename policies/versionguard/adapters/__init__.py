"""Adapters: turn the outside into core records and settings, one subpackage per thing adapted.

- ``files``: bounded YAML/JSON readers, the catalog, waivers and policy-config files, the
  ``VERSIONGUARD_*`` variables, the one output writer.
- ``azure``: ARM JSON, Resource Graph and Models-List data, and the live Azure SDK clients.
- ``crossguard``: the CrossGuard policies built from the rules, versionguard's analyzer servicer and
  its gRPC serving, the pack entry, the in-process analyzer, the wire form and secrets.
- ``program``: running a Pulumi program offline: project and stack files, the project's Python,
  the program host and the preview resource monitor.
- ``evaluation_inputs``: what one evaluation needs besides the resources (date, catalog, waivers).
"""
