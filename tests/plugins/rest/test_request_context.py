"""Every accessor of a REST request's context, read on events shaped as API Gateway documents them.

Each field holds a value no other field holds, so an accessor reading the
wrong key cannot pass; the same events are read by Powertools' own data class,
and every accessor answers what it answers.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent as ReferenceEvent
from kernel_rest import APIGatewayProxyEvent, Authorizer, Identity, RequestContext

from kernel import APIGatewayRestResolver

# A GET through a REST API's execute-api URL on the "prod" stage, signed with SigV4 by a
# role a Cognito identity pool handed out, over mutual TLS, with an API key (the
# proxy-integration input format of the API Gateway developer guide).
SIGNED_EVENT: dict[str, Any] = {
    "resource": "/orders/{order_id}",
    "path": "/orders/42",
    "httpMethod": "GET",
    "headers": {"Host": "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com", "User-Agent": "aws-sdk-js/3.0"},
    "multiValueHeaders": {
        "Host": ["a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"],
        "User-Agent": ["aws-sdk-js/3.0"],
    },
    "queryStringParameters": None,
    "multiValueQueryStringParameters": None,
    "pathParameters": {"order_id": "42"},
    "stageVariables": {"table": "orders-prod"},
    "requestContext": {
        "accountId": "111122223333",
        "apiId": "a1b2c3d4e5",
        "domainName": "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
        "domainPrefix": "a1b2c3d4e5",
        "extendedRequestId": "Ab1CdEFgoAMFzXw=",
        "httpMethod": "GET",
        "identity": {
            "accessKey": "ASIAIOSFODNN7EXAMPLE",
            "accountId": "444455556666",
            "apiKey": "qwertyuiop1234567890",
            "apiKeyId": "k9l8m7n6o5",
            "caller": "AROAEXAMPLEID:CognitoIdentityCredentials",
            "cognitoAuthenticationProvider": (
                "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_aBcDeFgHi,"
                "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_aBcDeFgHi:CognitoSignIn:0e5c8c1a-2f0b-4d6e-9a1b-3c4d5e6f7a8b"
            ),
            "cognitoAuthenticationType": "authenticated",
            "cognitoIdentityId": "eu-west-1:7f6e5d4c-3b2a-1908-f7e6-d5c4b3a29180",
            "cognitoIdentityPoolId": "eu-west-1:01234567-89ab-cdef-0123-456789abcdef",
            "principalOrgId": "o-a1b2c3d4e5",
            "sourceIp": "198.51.100.7",
            "user": "AROAEXAMPLEID:CognitoIdentityCredentials",
            "userAgent": "aws-sdk-js/3.0",
            "userArn": "arn:aws:sts::444455556666:assumed-role/Cognito_OrdersAuth_Role/CognitoIdentityCredentials",
            "clientCert": {
                "clientCertPem": "-----BEGIN CERTIFICATE-----\nMIIEZTCCAk0CAQEwDQ...\n-----END CERTIFICATE-----",
                "subjectDN": "CN=orders-client,O=Example Corp",
                "issuerDN": "CN=Example Corp Private CA,O=Example Corp",
                "serialNumber": "3a:7f:0c:11:9e:52:d4:88",
                "validity": {"notBefore": "Jan 10 00:00:00 2026 GMT", "notAfter": "Jan 10 00:00:00 2027 GMT"},
            },
        },
        "path": "/prod/orders/42",
        "protocol": "HTTP/1.1",
        "requestId": "8d6c1e0a-5b4f-4e3d-9c2b-1a0f9e8d7c6b",
        "requestTime": "12/Mar/2026:14:05:09 +0000",
        "requestTimeEpoch": 1773324309123,
        "resourceId": "x7y8z9",
        "resourcePath": "/orders/{order_id}",
        "stage": "prod",
    },
    "body": None,
    "isBase64Encoded": False,
}

# The same request through a Cognito user pool authorizer on a custom domain ($default
# stands for no stage in the URL): claims and scopes in the authorizer, no IAM caller.
COGNITO_EVENT: dict[str, Any] = copy.deepcopy(SIGNED_EVENT)
COGNITO_EVENT["requestContext"].update(
    {
        "domainName": "api.example.com",
        "domainPrefix": "api",
        "path": "/orders/42",
        "stage": "$default",
        "authorizer": {
            "claims": {"sub": "0e5c8c1a-2f0b-4d6e-9a1b-3c4d5e6f7a8b", "email": "ada@example.com", "cognito:groups": "admins"},
            "scopes": ["orders/read", "orders/write"],
        },
    }
)

# A Lambda authorizer's answer: its principal id, the context it returned, and how long it took.
LAMBDA_AUTHORIZER_EVENT: dict[str, Any] = copy.deepcopy(SIGNED_EVENT)
LAMBDA_AUTHORIZER_EVENT["requestContext"]["authorizer"] = {
    "principalId": "user|a1b2c3",
    "integrationLatency": 41,
    "tenant": "acme",
}

IDENTITY = {
    "access_key": "ASIAIOSFODNN7EXAMPLE",
    "account_id": "444455556666",
    "api_key": "qwertyuiop1234567890",
    "api_key_id": "k9l8m7n6o5",
    "caller": "AROAEXAMPLEID:CognitoIdentityCredentials",
    "cognito_authentication_provider": SIGNED_EVENT["requestContext"]["identity"]["cognitoAuthenticationProvider"],
    "cognito_authentication_type": "authenticated",
    "cognito_identity_id": "eu-west-1:7f6e5d4c-3b2a-1908-f7e6-d5c4b3a29180",
    "cognito_identity_pool_id": "eu-west-1:01234567-89ab-cdef-0123-456789abcdef",
    "principal_org_id": "o-a1b2c3d4e5",
    "source_ip": "198.51.100.7",
    "user": "AROAEXAMPLEID:CognitoIdentityCredentials",
    "user_agent": "aws-sdk-js/3.0",
    "user_arn": "arn:aws:sts::444455556666:assumed-role/Cognito_OrdersAuth_Role/CognitoIdentityCredentials",
}

CONTEXT = {
    "account_id": "111122223333",
    "api_id": "a1b2c3d4e5",
    "domain_name": "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
    "domain_prefix": "a1b2c3d4e5",
    "extended_request_id": "Ab1CdEFgoAMFzXw=",
    "http_method": "GET",
    "path": "/prod/orders/42",
    "protocol": "HTTP/1.1",
    "request_id": "8d6c1e0a-5b4f-4e3d-9c2b-1a0f9e8d7c6b",
    "request_time": "12/Mar/2026:14:05:09 +0000",
    "request_time_epoch": 1773324309123,
    "resource_id": "x7y8z9",
    "resource_path": "/orders/{order_id}",
    "stage": "prod",
}


def served(event: dict[str, Any]) -> APIGatewayProxyEvent:
    """The request an app's route sees for ``event`` (routed as /orders/<order_id>)."""
    app = APIGatewayRestResolver(plugins=["rest"])
    seen: list[APIGatewayProxyEvent] = []

    @app.get("/orders/<order_id>")
    def order(order_id):
        seen.append(app.current_event)
        return {"order_id": order_id}

    assert app(copy.deepcopy(event), None)["body"] == '{"order_id":"42"}'
    return seen[0]


@pytest.mark.parametrize("name", sorted(IDENTITY))
def test_every_identity_accessor_reads_its_own_field(name):
    identity = served(SIGNED_EVENT).request_context.identity
    assert isinstance(identity, Identity)
    assert getattr(identity, name) == IDENTITY[name]
    assert getattr(identity, name) == getattr(ReferenceEvent(SIGNED_EVENT).request_context.identity, name)


def test_the_client_certificate_of_a_mutual_tls_request():
    cert = served(SIGNED_EVENT).request_context.identity.client_cert
    reference = ReferenceEvent(SIGNED_EVENT).request_context.identity.client_cert
    for key in ("clientCertPem", "subjectDN", "issuerDN", "serialNumber", "validity"):
        assert cert[key] == SIGNED_EVENT["requestContext"]["identity"]["clientCert"][key]
        assert cert[key] == reference[key]
    # The same accessors as Powertools' RequestContextClientCert.
    for name in ("client_cert_pem", "subject_dn", "issuer_dn", "serial_number", "validity_not_after", "validity_not_before"):
        assert getattr(cert, name) == getattr(reference, name)
        assert getattr(cert, name)


@pytest.mark.parametrize("absent", [{}, {"clientCert": None}], ids=["no key", "null"])
def test_a_request_without_mutual_tls_has_no_client_certificate(absent):
    event = copy.deepcopy(SIGNED_EVENT)
    del event["requestContext"]["identity"]["clientCert"]
    event["requestContext"]["identity"].update(absent)
    assert served(event).request_context.identity.client_cert is None
    assert ReferenceEvent(event).request_context.identity.client_cert is None


@pytest.mark.parametrize("name", sorted(CONTEXT))
def test_every_request_context_accessor_reads_its_own_field(name):
    context = served(SIGNED_EVENT).request_context
    assert isinstance(context, RequestContext)
    assert getattr(context, name) == CONTEXT[name]
    assert getattr(context, name) == getattr(ReferenceEvent(SIGNED_EVENT).request_context, name)


def test_the_request_level_fields():
    request = served(SIGNED_EVENT)
    reference = ReferenceEvent(SIGNED_EVENT)
    assert request.resource == reference.resource == "/orders/{order_id}"
    assert request.path_parameters == reference.path_parameters == {"order_id": "42"}
    assert request.stage_variables == reference.stage_variables == {"table": "orders-prod"}
    assert request.headers == reference.headers == SIGNED_EVENT["headers"]
    assert request.multi_value_headers == reference.multi_value_headers == SIGNED_EVENT["multiValueHeaders"]


def test_a_cognito_user_pool_authorizer_gives_claims_and_scopes():
    authorizer = served(COGNITO_EVENT).request_context.authorizer
    reference = ReferenceEvent(COGNITO_EVENT).request_context.authorizer
    assert isinstance(authorizer, Authorizer)
    assert authorizer.claims == reference.claims == COGNITO_EVENT["requestContext"]["authorizer"]["claims"]
    assert authorizer.scopes == reference.scopes == ["orders/read", "orders/write"]
    assert authorizer["claims"]["email"] == "ada@example.com"


def test_a_lambda_authorizer_gives_its_principal_latency_and_context():
    authorizer = served(LAMBDA_AUTHORIZER_EVENT).request_context.authorizer
    reference = ReferenceEvent(LAMBDA_AUTHORIZER_EVENT).request_context.authorizer
    assert authorizer.principal_id == reference.principal_id == "user|a1b2c3"
    assert authorizer.integration_latency == reference.integration_latency == 41
    assert authorizer["tenant"] == reference.get("tenant") == "acme"


def test_an_iam_request_has_no_authorizer_values():
    authorizer = served(SIGNED_EVENT).request_context.authorizer
    reference = ReferenceEvent(SIGNED_EVENT).request_context.authorizer
    # Empty values rather than None, as on Powertools.
    assert authorizer.claims == reference.claims == {}
    assert authorizer.scopes == reference.scopes == []
    assert authorizer.principal_id == reference.principal_id == ""
    assert authorizer.get_context() == reference.get_context() == {}
    assert dict(authorizer) == {}


@pytest.mark.parametrize(
    ("event", "routed"),
    [(SIGNED_EVENT, "/orders/42"), (COGNITO_EVENT, "/orders/42")],
    ids=["execute-api URL with stage", "custom domain"],
)
def test_the_stage_in_the_context_path_is_not_part_of_the_routed_path(event, routed):
    request = served(event)
    assert request.path == routed
    assert request.request_context.path == event["requestContext"]["path"]
    assert request.request_context.stage == event["requestContext"]["stage"]
