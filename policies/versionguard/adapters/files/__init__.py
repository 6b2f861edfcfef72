"""Files versionguard reads and writes: bounded loaders, catalog, waivers, policy config,
VERSIONGUARD_* variables and the one output writer."""
