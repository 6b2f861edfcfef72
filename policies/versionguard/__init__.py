"""versionguard: judge Azure OpenAI model deployments against the model lifecycle.

Layers, each importing only the ones below it (enforced by import-linter, see pyproject.toml):
``cli`` (typer wiring) -> ``reporters`` (output formats) -> ``commands`` (check, forecast, audit,
catalog) -> ``adapters`` (CrossGuard pack, offline runner, file and ARM readers) -> ``core``
(records, catalog, rules, engine; imports neither Pulumi nor any CLI or Azure library).
"""

__version__ = "0.1.0"
