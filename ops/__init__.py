"""Operator tools: what a person at the service centre's operations desk runs against a deployed stack (or,
without names, against the running local stack).

* ``load-directory`` — load the org directory export (docs/operations.md, "Load the org directory");
* ``subject-access`` / ``erase-case`` — answer a GDPR request (access, erasure of a case that should never
  have existed);
* ``replay-outbox`` / ``resume-case`` — repair after an outage (docs/resilience.md).

Each is ``python3 dev <name>`` and a module here; none is imported by the functions.
"""
