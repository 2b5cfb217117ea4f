"""HTTP adapter of the venue backend: app, controllers, schemas."""
