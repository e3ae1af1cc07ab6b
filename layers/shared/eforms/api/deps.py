"""The adapters a handler works with, built lazily and once per container where that is safe.

Nothing here runs at import: the first request pays for the catalogue index and the boto3 client,
later requests reuse them. The directory is the exception: it is built per request because it caches
rows, and a reporting line changed in the directory must show on the next request.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from eforms.aws.dynamo_cases import DynamoCaseStore
from eforms.aws.dynamo_directory import DynamoDirectory
from eforms.core.forms import Catalogue
from eforms.settings import settings


@cache
def catalogue() -> Catalogue:
    return Catalogue(settings().schema_dir)


@cache
def case_store() -> DynamoCaseStore:
    return DynamoCaseStore(settings().cases_table)


def directory() -> DynamoDirectory:
    return DynamoDirectory(settings().directory_table)


@cache
def idempotency_store() -> Any:
    """Powertools' DynamoDB persistence layer (imported here: it pulls in boto3 and builds a client)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(table_name=settings().idempotency_table)


def reset() -> None:
    """Forget everything cached (tests change the environment between cases)."""
    for cached in (catalogue, case_store, idempotency_store, settings):
        cached.cache_clear()
