"""Tokens made before API tokens had a lifetime expire API_TOKEN_DAYS after their creation
once the migration runs: none is left without an end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0003_login_throttle")]
AFTER = [("accounts", "0004_token_lifetime")]


@pytest.mark.django_db(transaction=True)
def test_an_existing_token_gets_an_expiry_from_its_creation() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    user = old_apps.get_model("auth", "User").objects.create(username="integration-owner")
    made = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
    old_apps.get_model("accounts", "ApiToken").objects.create(user_id=user.pk, name="legacy", digest="a" * 64, created_at=made)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    token = new_apps.get_model("accounts", "ApiToken").objects.get(name="legacy")
    assert token.expires_at == made + timedelta(days=30)
    assert (token.session_digest, token.revoked_reason) == ("", "")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest state for the next tests
