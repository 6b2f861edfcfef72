"""Pulumi components for Azure AI Foundry accounts and their model deployments.

Import the modules directly (``components.stack_config``, ``components.foundry_account``,
``components.model_deployment``). This file imports nothing on purpose: the offline CLI validates
stack files with ``components.stack_config`` and should not pay for importing ``pulumi``.
"""
