"""Everything that touches the outside world: HTTP apps, databases, caches, other roles."""
