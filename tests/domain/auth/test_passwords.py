from __future__ import annotations

import pytest

from kisum.domain.auth.common_passwords import COMMON_PASSWORDS
from kisum.domain.auth.errors import WeakPassword
from kisum.domain.auth.passwords import PasswordPolicy, check_password


def weak(password: str, **kw: object) -> WeakPassword:
    with pytest.raises(WeakPassword) as caught:
        check_password(password, **kw)  # type: ignore[arg-type]
    assert caught.value.code == "WEAK_PASSWORD"
    return caught.value


def test_the_common_list_has_several_hundred_entries() -> None:
    assert len(COMMON_PASSWORDS) >= 300
    assert sum(1 for p in COMMON_PASSWORDS if len(p) >= 8) >= 300
    assert all(p == p.lower() for p in COMMON_PASSWORDS)


@pytest.mark.parametrize("password", ["password", "12345678", "Password1", "QWERTYUIOP", "iloveyou", "P@ssw0rd"])
def test_common_passwords_are_refused_case_insensitively(password: str) -> None:
    assert "common" in weak(password).detail


def test_length_bounds_are_eight_and_128_code_points() -> None:
    weak("abc7xyz")
    check_password("abc7xyzq")
    check_password("k" + "é" * 127)
    weak("k" + "é" * 128)


def test_length_counts_code_points_not_bytes() -> None:
    check_password("🎸🎶🎤🥁🎹🎺🎻🪕")  # 8 code points, 32 bytes in UTF-8
    weak("🎸🎶🎤🥁🎹🎺🎻")


def test_no_composition_rules() -> None:
    check_password("correct horse battery staple")
    check_password("onlylowercaseletters")


def test_a_single_repeated_character_is_refused() -> None:
    weak("zzzzzzzzzzzz")


def test_the_accounts_own_email_or_name_is_refused() -> None:
    weak("alice.smith@example.com", context=["alice.smith@example.com"])
    weak("Alice.Smith", context=["alice.smith@example.com"])
    weak("Madonna Ciccone", context=["madonna ciccone"])
    check_password("alice.smith-on-tour", context=["alice.smith@example.com"])


def test_a_custom_policy_is_validated() -> None:
    with pytest.raises(ValueError, match="min_length"):
        PasswordPolicy(min_length=10, max_length=9)
    with pytest.raises(WeakPassword):
        PasswordPolicy(min_length=12).check("short-pass1")
