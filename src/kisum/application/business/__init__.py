"""Use cases of the Base module; the tenant company always comes in the command or query."""
