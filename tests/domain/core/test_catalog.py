from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.core.catalog import Addon, Module, Package, ensure_modules_exist, validate_key
from kisum.domain.core.errors import InvalidKey, InvalidName, ModulesRequired, UnknownModule

T0 = datetime(2030, 1, 1, tzinfo=UTC)
T1 = datetime(2030, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize("key", ["basic", "finance", "ai", "crm_2", "live-music"])
def test_lowercase_keys_are_valid(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize("key", ["", "Basic", "FINANCE", "2fa", "fin.ance", "with space", "_x", "a" * 49])
def test_other_keys_are_refused(key: str) -> None:
    with pytest.raises(InvalidKey):
        validate_key(key)


@given(st.text(max_size=60))
def test_a_key_is_valid_only_when_it_is_a_lowercase_identifier(key: str) -> None:
    try:
        validate_key(key)
    except InvalidKey:
        return
    assert key[0].isascii()
    assert key[0].islower()
    assert "." not in key
    assert key == key.lower()
    assert 1 <= len(key) <= 48


def test_module_name_defaults_to_its_key() -> None:
    module = Module.create("crm", None, None, T0)
    assert module.name == "crm"
    assert module.created_at == module.updated_at == T0


def test_module_name_is_trimmed_and_must_not_be_blank() -> None:
    assert Module.create("crm", "  CRM ", None, T0).name == "CRM"
    with pytest.raises(InvalidName):
        Module.create("crm", "   ", None, T0)


def test_module_rename_can_clear_the_description() -> None:
    module = Module.create("crm", "CRM", "old", T0)
    module.rename(None, None, clear_description=True, at=T1)
    assert module.description is None
    assert module.name == "CRM"
    assert module.updated_at == T1


def test_package_needs_at_least_one_module() -> None:
    with pytest.raises(ModulesRequired):
        Package.create("basic", "Basic", None, [], T0)


def test_package_modules_are_deduplicated() -> None:
    package = Package.create("basic", "Basic", None, ["basic", "basic", "finance"], T0)
    assert package.modules == frozenset({"basic", "finance"})


def test_addon_refuses_a_malformed_module_key() -> None:
    with pytest.raises(InvalidKey):
        Addon.create("finance", "Finance", None, ["Finance"], T0)


def test_update_reports_a_change_of_modules() -> None:
    addon = Addon.create("finance", "Finance", None, ["finance"], T0)
    assert addon.update(name=None, description=None, clear_description=False, modules=["finance", "ai"], at=T1)
    assert addon.modules == frozenset({"finance", "ai"})
    assert addon.updated_at == T1


def test_update_without_new_modules_is_no_entitlement_change() -> None:
    addon = Addon.create("finance", "Finance", None, ["finance"], T0)
    assert not addon.update(name="Money", description=None, clear_description=False, modules=["finance"], at=T1)
    assert addon.name == "Money"


def test_unknown_modules_are_named() -> None:
    with pytest.raises(UnknownModule, match="crm, zzz"):
        ensure_modules_exist({"basic", "zzz", "crm"}, {"basic", "finance"})


def test_known_modules_pass() -> None:
    ensure_modules_exist({"basic"}, {"basic", "finance"})
