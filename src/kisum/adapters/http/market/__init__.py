"""HTTP adapter of the market backend: app, controllers, schemas."""
