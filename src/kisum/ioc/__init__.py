"""Composition roots, the top of the house: one module per role builds its dishka container and
assembles its app (``kisum.ioc.<role>.create_app``), calling the HTTP adapters' app builders with
that container; ``registry`` maps roles to them. Nothing under ``kisum.adapters`` imports this package.
"""
