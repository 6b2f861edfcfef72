"""CrossGuard: the policy pack served to the Pulumi engine, and the same pack driven in-process."""
