"""HTTP adapter of the finance backend: app, controllers, schemas."""
