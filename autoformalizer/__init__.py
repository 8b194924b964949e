"""The `autoformalizer` command line, tying the layers together."""
