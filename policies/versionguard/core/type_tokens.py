"""Resource type tokens reduced to the one form versionguard's tables know.

The same Azure resource reaches a program under several tokens (azure-native v2/v3 and
``pulumi package add``):

- the default module: ``azure-native:cognitiveservices:Deployment``;
- an API-versioned module: ``azure-native:cognitiveservices/v20240401preview:Deployment``;
- a **parameterized package** (``pulumi package add azure-native cognitiveservices v20250601``
  generates a local SDK whose package is ``azure-native_cognitiveservices_v20250601``):
  ``azure-native_cognitiveservices_v20250601:cognitiveservices/v20250601:Deployment`` (with or
  without the module's version).

:func:`canonical_type` maps all of them to the default-module token, so every table (deployment
types, where apps keep their settings) is written once and serves every form.
"""

from __future__ import annotations

import re

# package[_module_version]:module[/vVERSION]:Name; only azure-native is parameterized this way.
_TOKEN = re.compile(r"^(azure-native)_[A-Za-z0-9]+_v[0-9a-z]+:([A-Za-z0-9]+)(?:/v[0-9a-z]+)?:([^:]+)$"
                    r"|^([a-z0-9-]+):([A-Za-z0-9]+)/v[0-9a-z]+:([^:]+)$", re.IGNORECASE)


def canonical_type(token: str) -> str:
    """``token`` without the package parameterization and the module's API version; any other
    token unchanged (``kubernetes:apps/v1:Deployment`` becomes ``kubernetes:apps:Deployment``, so
    tables look the exact token up first)."""
    match = _TOKEN.match(token)
    if match is None:
        return token
    package, module, name = (match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6))
    return f"{package}:{module}:{name}"
