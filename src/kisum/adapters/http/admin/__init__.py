"""The admin role: the platform administrators' API, orchestrating core and auth."""
