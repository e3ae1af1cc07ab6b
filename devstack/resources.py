"""Creating the template's AWS resources in moto (or any endpoint boto3 is pointed at)."""

from __future__ import annotations

from typing import Any

from devstack.template import Template

_TABLE_KEYS = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode")


def table_name(prefix: str, logical_id: str) -> str:
    return f"{prefix}-{logical_id}"


def create_table_request(properties: dict[str, Any], name: str) -> dict[str, Any]:
    """The ``CreateTable`` call equivalent to an ``AWS::DynamoDB::Table``'s properties."""
    request: dict[str, Any] = {"TableName": name}
    for key in _TABLE_KEYS:
        if key in properties:
            request[key] = properties[key]
    if "StreamSpecification" in properties:  # CloudFormation's form has no StreamEnabled; the API's needs it
        request["StreamSpecification"] = {"StreamEnabled": True, **properties["StreamSpecification"]}
    return request


def create_tables(template: Template, dynamodb: Any, prefix: str) -> dict[str, str]:
    """Create every table of the template; returns logical id → physical name."""
    names: dict[str, str] = {}
    for logical_id, resource in template.of_type("AWS::DynamoDB::Table").items():
        props = resource["Properties"]
        name = table_name(prefix, logical_id)
        created = dynamodb.create_table(**create_table_request(props, name))["TableDescription"]
        if "LatestStreamArn" in created:
            names[f"{logical_id}.StreamArn"] = created["LatestStreamArn"]
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        names[logical_id] = name
    return names


ACCOUNT = "123456789012"  # moto's default account
REGION = "eu-north-1"


def function_arn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


def create_state_machines(template: Template, sfn: Any, prefix: str, refs: dict[str, str]) -> dict[str, str]:
    """Create each state machine from its ASL file, with DefinitionSubstitutions filled in as SAM does."""
    from devstack.template import ROOT, resolve

    arns: dict[str, str] = {}
    for logical_id, resource in template.of_type("AWS::Serverless::StateMachine").items():
        props = resource["Properties"]
        definition = (ROOT / props["DefinitionUri"]).read_text(encoding="utf-8")
        for key, raw in props.get("DefinitionSubstitutions", {}).items():
            definition = definition.replace("${" + key + "}", str(resolve(raw, refs)))
        name = str(resolve(props.get("Name", f"{prefix}-{logical_id}"), refs))
        arns[logical_id] = sfn.create_state_machine(
            name=name,
            definition=definition,
            roleArn=f"arn:aws:iam::{ACCOUNT}:role/{prefix}-{logical_id}Role",
            type=props.get("Type", "STANDARD"),
        )["stateMachineArn"]
    return arns


def resolve_deep(value: Any, refs: dict[str, str]) -> Any:
    from devstack.template import resolve

    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt", "Fn::Sub"):
            return resolve(value, refs)
        return {k: resolve_deep(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_deep(v, refs) for v in value]
    return value


def create_keys(template: Template, kms: Any, refs: dict[str, str]) -> None:
    for logical_id, resource in template.of_type("AWS::KMS::Key").items():
        description = resolve_deep(resource["Properties"].get("Description", logical_id), refs)
        spec = {k: resource["Properties"][k] for k in ("KeySpec", "KeyUsage") if k in resource["Properties"]}
        key = kms.create_key(Description=str(description), **spec)["KeyMetadata"]
        refs[logical_id] = key["KeyId"]
        refs[f"{logical_id}.Arn"] = key["Arn"]


def create_parameters(template: Template, ssm: Any, refs: dict[str, str]) -> None:
    """SSM parameters with their names and values as the template gives them; ``Ref`` is the name."""
    for logical_id, resource in template.of_type("AWS::SSM::Parameter").items():
        props = resolve_deep(resource["Properties"], refs)
        ssm.put_parameter(
            Name=props["Name"], Value=props["Value"], Type=props["Type"], Tier=props.get("Tier", "Standard")
        )
        refs[logical_id] = props["Name"]


def provide_seal(template: Template, kms: Any, ssm: Any, refs: dict[str, str]) -> None:
    """The local seal certificate for the stack's seal key (:mod:`devstack.seal`), in the seal's parameter."""
    from devstack.seal import provide

    if "SealKey" in template.of_type("AWS::KMS::Key") and "SealCertificateChain" in refs:
        provide(kms, ssm, refs["SealKey"], refs["SealCertificateChain"])


def create_buckets(template: Template, s3: Any, prefix: str, refs: dict[str, str]) -> None:
    """Buckets with the template's encryption, versioning and public-access block.

    Lifecycle rules and the TLS-only bucket policy are AWS-side controls moto does not enforce; they are
    checked where they matter, by the template linters and on AWS.
    """
    for logical_id, resource in template.of_type("AWS::S3::Bucket").items():
        props = resolve_deep(resource.get("Properties", {}), refs)
        name = f"{prefix}-{logical_id}".lower()
        # Object Lock is chosen when a bucket is made (and turns versioning on), as CloudFormation does.
        locked = {"ObjectLockEnabledForBucket": True} if props.get("ObjectLockEnabled") else {}
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}, **locked)
        refs[logical_id] = name
        refs[f"{logical_id}.Arn"] = f"arn:aws:s3:::{name}"
        if "BucketEncryption" in props:
            # CloudFormation: ServerSideEncryptionByDefault; the S3 API: ApplyServerSideEncryptionByDefault.
            rules = [
                {
                    "ApplyServerSideEncryptionByDefault": r["ServerSideEncryptionByDefault"],
                    "BucketKeyEnabled": r.get("BucketKeyEnabled", False),
                }
                for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            ]
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
        if "VersioningConfiguration" in props:
            s3.put_bucket_versioning(
                Bucket=name, VersioningConfiguration={"Status": props["VersioningConfiguration"]["Status"]}
            )
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
            )


def create_email_identities(template: Template, ses: Any, refs: dict[str, str]) -> None:
    from devstack.template import resolve

    for resource in template.of_type("AWS::SES::EmailIdentity").values():
        ses.verify_email_identity(EmailAddress=str(resolve(resource["Properties"]["EmailIdentity"], refs)))


#: The AWS::SQS::Queue properties that are also CreateQueue attributes under the same name.
_QUEUE_ATTRIBUTES = (
    "VisibilityTimeout",
    "MessageRetentionPeriod",
    "RedrivePolicy",
    "SqsManagedSseEnabled",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
)


def create_queues(template: Template, sqs: Any, prefix: str, refs: dict[str, str]) -> None:
    """SQS queues with the template's attributes; dead-letter queues first, so redrive policies resolve."""
    import json

    queues = template.of_type("AWS::SQS::Queue")
    for logical_id in queues:
        name = f"{prefix}-{logical_id}"
        refs[f"{logical_id}.QueueName"] = name
        refs[f"{logical_id}.Arn"] = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    for logical_id, resource in sorted(queues.items(), key=lambda item: "RedrivePolicy" in item[1]["Properties"]):
        props = resolve_deep(resource.get("Properties", {}), refs)
        attributes = {
            key: json.dumps(value)
            if isinstance(value, dict)
            else str(value).lower()
            if isinstance(value, bool)
            else str(value)
            for key, value in props.items()
            if key in _QUEUE_ATTRIBUTES
        }
        refs[logical_id] = sqs.create_queue(QueueName=refs[f"{logical_id}.QueueName"], Attributes=attributes)[
            "QueueUrl"
        ]


def create_secrets(template: Template, secretsmanager: Any, prefix: str, refs: dict[str, str]) -> None:
    """Secrets the stack generates (a webhook subscriber's signing key): a random value, as
    ``GenerateSecretString`` makes one; ``Ref`` is the ARN, as on AWS."""
    import secrets
    import string

    for logical_id, resource in template.of_type("AWS::SecretsManager::Secret").items():
        spec = resource["Properties"].get("GenerateSecretString", {})
        alphabet = string.ascii_letters + string.digits
        value = "".join(secrets.choice(alphabet) for _ in range(int(spec.get("PasswordLength", 32))))
        refs[logical_id] = secretsmanager.create_secret(Name=f"{prefix}-{logical_id}", SecretString=value)["ARN"]


def create_event_buses(template: Template, events: Any, prefix: str, refs: dict[str, str]) -> None:
    """Event buses, and the rules on them with their targets (an event pattern is matched by moto). A target
    that is an API destination goes to the local relay's queue instead (:mod:`devstack.api_destinations`)."""
    import json

    from devstack.api_destinations import relay_queue_arn

    for logical_id, resource in template.of_type("AWS::Events::EventBus").items():
        name = str(resolve_deep(resource["Properties"]["Name"], refs))
        refs[logical_id] = name
        refs[f"{logical_id}.Arn"] = events.create_event_bus(Name=name)["EventBusArn"]
    for logical_id, resource in template.of_type("AWS::Events::Rule").items():
        props = resolve_deep(resource["Properties"], refs)
        name = f"{prefix}-{logical_id}"
        bus = props.get("EventBusName", "default")
        refs[f"{logical_id}.Arn"] = events.put_rule(
            Name=name, EventBusName=bus, EventPattern=json.dumps(props["EventPattern"])
        )["RuleArn"]
        refs[logical_id] = name
        targets = [
            {"Id": t["Id"], "Arn": relay_queue_arn(template, raw, refs) or t["Arn"]}
            for raw, t in zip(resource["Properties"].get("Targets", []), props.get("Targets", []), strict=True)
        ]
        events.put_targets(Rule=name, EventBusName=bus, Targets=targets)


def create_relay_queues(template: Template, sqs: Any, prefix: str, refs: dict[str, str]) -> None:
    """A queue per API destination, where the local relay picks up what EventBridge would have posted."""
    for logical_id in template.of_type("AWS::Events::ApiDestination"):
        name = f"{prefix}-{logical_id}Relay"
        refs[f"{logical_id}.Arn"] = f"arn:aws:events:{REGION}:{ACCOUNT}:api-destination/{name}"
        refs[f"{logical_id}Relay"] = sqs.create_queue(QueueName=name)["QueueUrl"]
        refs[f"{logical_id}Relay.Arn"] = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def create_all(template: Template, clients: Any, prefix: str, parameters: dict[str, str]) -> dict[str, str]:
    """Create every resource the local stack emulates; returns the ``refs`` map for :func:`resolve`.

    ``clients`` is a callable ``service -> boto3 client``. Functions are not created in moto (it cannot
    run them without Docker); their names and ARNs go into ``refs`` and :mod:`devstack.lambdas` runs them.
    """
    refs = {
        **template.parameter_defaults(),
        **parameters,
        "AWS::Region": REGION,
        "AWS::AccountId": ACCOUNT,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "localhost",
    }
    refs.update(template.conditions(refs))
    for logical_id in template.of_type("AWS::Serverless::Function"):
        refs[logical_id] = f"{prefix}-{logical_id}"
        refs[f"{logical_id}.Arn"] = function_arn(refs[logical_id])
    for logical_id in template.of_type("AWS::IAM::Role"):  # not emulated; rules name them for EventBridge
        refs[f"{logical_id}.Arn"] = f"arn:aws:iam::{ACCOUNT}:role/{prefix}-{logical_id}"
    refs.update(create_tables(template, clients("dynamodb"), prefix))
    create_keys(template, clients("kms"), refs)
    create_parameters(template, clients("ssm"), refs)
    provide_seal(template, clients("kms"), clients("ssm"), refs)
    create_buckets(template, clients("s3"), prefix, refs)
    create_email_identities(template, clients("ses"), refs)
    create_secrets(template, clients("secretsmanager"), prefix, refs)
    create_queues(template, clients("sqs"), prefix, refs)
    create_relay_queues(template, clients("sqs"), prefix, refs)
    # State machines before rules: a rule's pattern may name a state machine (failed executions).
    refs.update(create_state_machines(template, clients("stepfunctions"), prefix, refs))
    create_event_buses(template, clients("events"), prefix, refs)
    return refs


def function_environment(template: Template, refs: dict[str, str]) -> dict[str, str]:
    """The environment every function sees, resolved. All functions share one process locally, so a
    variable set to different values by two functions is refused rather than silently merged."""
    from devstack.template import resolve

    merged: dict[str, str] = {}
    for spec in template.functions():
        for name, raw in spec.environment.items():
            value = str(resolve(raw, refs))
            if merged.setdefault(name, value) != value:
                raise ValueError(f"{name} differs between functions; the local stack runs them in one process")
    return merged


def provision(
    template: Template, clients: Any, prefix: str, parameters: dict[str, str]
) -> tuple[dict[str, str], dict[str, str], Any]:
    """Everything the local stack and the integration tests set up the same way.

    Creates the resources, computes the functions' environment and routes moto's Lambda invokes to the
    handlers in-process. Returns ``(refs, environment, undo)``; call ``undo()`` to remove the routing.
    """
    from devstack.lambdas import install_moto_dispatch, load_handler

    refs = create_all(template, clients, prefix, parameters)
    environment = function_environment(template, refs)
    functions = {refs[spec.logical_id]: spec for spec in template.functions()}
    # Import every handler now, on this thread: the Step Functions interpreter runs executions on its own
    # threads, and CPython 3.11 can corrupt its AST recursion counter when two threads compile at once.
    for spec in functions.values():
        load_handler(spec)
    return refs, environment, install_moto_dispatch(functions)
