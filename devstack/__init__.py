"""The whole service on one machine: AWS emulated by moto, resources and routes read from template.yaml.

The modules here are also the test harness (``tests/`` builds its AWS world with them), so the tests,
the local stack and the deployed stack all come from the one template:

* :mod:`devstack.template` — reads ``template.yaml`` (CloudFormation tags included);
* :mod:`devstack.resources` — creates its tables in moto;
* :mod:`devstack.lambdas` — imports each function's handler as Lambda would and invokes it;
* :mod:`devstack.events` — builds API Gateway HTTP API (payload v2) events;
* :mod:`devstack.tokens` — the dev token issuer (RS256, JWKS) and the JWT check API Gateway does;
* :mod:`devstack.front` — the HTTP server on localhost that puts it together.
"""
