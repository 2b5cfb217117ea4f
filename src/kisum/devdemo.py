"""What ``kisum dev`` prints once every role is up: where each role listens, and how to log in."""

from __future__ import annotations

from collections.abc import Sequence

from kisum.config import Role, Settings


def describe_platform(settings: Settings, roles: Sequence[Role]) -> str:
    lines = ["", "Kisum is running (embedded defaults, data in " + str(settings.data_dir) + "):"]
    lines += [f"  {role.value:<8} {settings.url_of(role)}   docs: {settings.url_of(role)}/schema" for role in roles]
    if settings.bootstrap_admin_email:
        lines += ["", f"Platform admin: {settings.bootstrap_admin_email} / {settings.bootstrap_admin_password}"]
    lines.append("")
    return "\n".join(lines)
