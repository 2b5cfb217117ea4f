"""Pure models and rules: standard library only, no I/O, no framework, no clock of its own."""
