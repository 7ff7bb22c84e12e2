import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from coaching.env import env_bool, env_int, env_time_zone, env_url

ROOT = Path(__file__).resolve().parent.parent


def test_a_malformed_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")


def test_a_malformed_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", default=25)


def test_an_unknown_time_zone_names_the_variable(monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "Mars/Olympus")
    with pytest.raises(ImproperlyConfigured, match="TIME_ZONE"):
        env_time_zone("TIME_ZONE", default="UTC")


def test_a_url_with_the_wrong_scheme_names_the_variable(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6379")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env_url("REDIS_URL", schemes=("redis", "rediss"))


def _check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # Only the machine's environment: not the test suite's own settings switches.
    ours = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "HTTPS", "PLAIN_STATIC_STORAGE"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_app_refuses_to_start_without_a_secret_key_in_production():
    result = _check({"DEBUG": "false", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_database_url_stops_start_up_with_its_name():
    result = _check({"DEBUG": "true", "DATABASE_URL": "mysql://nope"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_check_deploy_is_clean_with_production_values():
    result = _check(
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "runstrong.example.com",
            "EMAIL_HOST": "smtp.example.com",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
