"""Shared code of the e-form intake service, deployed once as a Lambda layer.

Sub-packages, by what they may import:

* ``eforms.core`` — the domain: forms, validation, cases, access rules. Pure Python plus jsonschema;
  never boto3, so it is unit-tested with fakes and costs no AWS import time.
* ``eforms.aws`` — adapters that implement the core's ports with boto3 (DynamoDB, ...).
* ``eforms.api`` — HTTP API glue: request parsing, problem responses, views, the Powertools resolver.
"""
