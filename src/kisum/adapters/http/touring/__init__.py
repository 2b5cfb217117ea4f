"""HTTP adapter of the touring backend: app, controllers, schemas."""
