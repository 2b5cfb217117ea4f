from alembic import context

from kisum.adapters.persistence.migrations import run_env

run_env(context)
