"""Interop with the A2A Python SDK (a2a-sdk 1.3.0): Agent Cards it signs verify with a2a-auth, cards
a2a-auth signs verify with its verifier, and its v1.0 security declarations read as requirements."""

from __future__ import annotations

import pytest
from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentInterface,
    AgentSkill,
    OAuth2SecurityScheme,
    OAuthFlows,
    ClientCredentialsOAuthFlow,
    SecurityRequirement,
    SecurityScheme,
    StringList,
)
from a2a.utils.signing import InvalidSignaturesError, create_agent_card_signer, create_signature_verifier
from google.protobuf.json_format import MessageToDict, ParseDict
from jwt.api_jwk import PyJWK

import a2a_auth


def card() -> AgentCard:
    c = AgentCard(
        name="Planner",
        description="Plans trips ✈ for users",
        version="1.0.0",
        supported_interfaces=[AgentInterface(url="https://planner.example.com/a2a", protocol_binding="JSONRPC")],
        capabilities=AgentCapabilities(streaming=True),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[AgentSkill(id="plan", name="Plan a trip", description="Plans", tags=["travel"])],
    )
    c.security_schemes["agentOAuth"].CopyFrom(SecurityScheme(oauth2_security_scheme=OAuth2SecurityScheme(
        oauth2_metadata_url="https://as.example.com/.well-known/oauth-authorization-server",
        flows=OAuthFlows(client_credentials=ClientCredentialsOAuthFlow(
            token_url="https://as.example.com/token", scopes={"tasks:write": "create tasks"})))))
    req = SecurityRequirement()
    req.schemes["agentOAuth"].CopyFrom(StringList(list=["tasks:write"]))
    c.security_requirements.append(req)
    return c


@pytest.mark.parametrize("alg", ["ES256", "EdDSA"])
def test_cards_signed_by_the_sdk_verify_with_a2a_auth(alg: str) -> None:
    key = a2a_auth.KeyPair.generate(alg, kid=f"card-{alg}")
    signer = create_agent_card_signer(PyJWK(key.private_jwk()), {"alg": alg, "kid": f"card-{alg}", "typ": "JOSE"})
    signed = MessageToDict(signer(card()))
    assert a2a_auth.verify_agent_card(signed, key.public_jwk, algorithms=[alg]) == (f"card-{alg}", alg)
    tampered = dict(signed, name="Planner Pro")
    with pytest.raises(a2a_auth.InvalidSignature):
        a2a_auth.verify_agent_card(tampered, key.public_jwk, algorithms=[alg])


def test_cards_signed_by_a2a_auth_verify_with_the_sdk() -> None:
    key = a2a_auth.KeyPair.generate("ES256", kid="card-1")
    ours = a2a_auth.sign_agent_card(MessageToDict(card()), key)
    verify = create_signature_verifier(lambda kid, jku: PyJWK(key.public_jwk), ["ES256"])
    verify(ParseDict(ours, AgentCard()))
    ours["description"] = "changed"
    with pytest.raises(InvalidSignaturesError):
        verify(ParseDict(ours, AgentCard()))


def test_sdk_security_declarations_read_as_requirements() -> None:
    reqs = a2a_auth.agent_card_requirements(MessageToDict(card()))
    assert reqs == [[{"name": "agentOAuth", "kind": "oauth2", "scopes": ["tasks:write"], "details": {
        "metadata_url": "https://as.example.com/.well-known/oauth-authorization-server", "flow": "client_credentials",
        "token_url": "https://as.example.com/token"}}]]
