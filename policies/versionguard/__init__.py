"""versionguard: judge Azure OpenAI model deployments against the model lifecycle.

The package is a functional core (``records``, ``catalog``, ``rules``, ``engine``) with thin
adapters: the CrossGuard policy pack (``pack``), the offline runner (``offline``) and the CLI.
The core imports neither ``pulumi`` nor ``pulumi_policy``.
"""

__version__ = "0.1.0"
