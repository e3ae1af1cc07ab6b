"""Documents a case produces: the signed PDF's fingerprint and sharing it with an administrator."""
