"""Cognito's pre-token-generation trigger (V2): stamp the organisation into the ID and access tokens.

The organisation is the one whose identity provider signed the person in (docs/organisations.md, §2;
:mod:`eforms.core.organisations.sign_in`). A refusal raises: Cognito then issues no token, and the refusal is
logged (its reason and the provider's name, no personal data) and counted (``SignInsRefused``).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.core.common.errors import Unauthorized
from eforms.core.organisations.sign_in import SignInRefused, provider_of, stamp
from eforms.observability import logger, metrics
from eforms.wiring import organisations


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    attributes = (event.get("request") or {}).get("userAttributes") or {}
    registry = organisations()
    if registry is None:
        raise Unauthorized("organisation_unknown")  # a pool without organisations/ signs nobody in
    try:
        claims = stamp(registry, attributes)
    except SignInRefused as refused:
        logger.warning("sign-in refused", extra={"reason": refused.reason, "provider": provider_of(attributes)})
        metrics.add_metric(name="SignInsRefused", unit=MetricUnit.Count, value=1)
        raise
    stamped = {"claimsToAddOrOverride": claims}
    event["response"] = {
        "claimsAndScopeOverrideDetails": {"idTokenGeneration": stamped, "accessTokenGeneration": stamped}
    }
    logger.info("sign-in stamped", extra={"organisation": claims["org"], "trigger": event.get("triggerSource")})
    return event
