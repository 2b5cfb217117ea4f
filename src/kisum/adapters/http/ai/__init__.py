"""HTTP adapter of the ai backend: app, controllers, schemas."""
