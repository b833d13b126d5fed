//! Vectors for `oauth.*`: RFC 9068 access tokens (oauth.md §2.3), RFC 7662 / RFC 9701
//! introspection responses (§5), RFC 9728 metadata URLs, documents and the client-side check
//! (§3.3).

use super::*;

const USER: &str = "user-123";
const CLIENT: &str = "agent-client";

fn at_claims(k: &Keys) -> Value {
    json!({"iss": ISS, "sub": USER, "aud": AUD, "client_id": CLIENT, "iat": NOW - 60, "exp": NOW + 600,
           "jti": "at-1", "scope": "tools:call openid", "cnf": {"jkt": thumb(&k.es256_other)}})
}

fn config(k: &Keys) -> String {
    to_compact(&json!({"issuers": [
        {"issuer": ISS, "jwks": jwks(&[&k.es256]), "algorithms": ["ES256"]},
        {"issuer": "https://as2.example.com", "jwks": jwks(&[&k.ed25519]), "algorithms": ["Ed25519"]},
    ], "resource": AUD, "leeway": 60}))
}

fn out(claims: &Value, token: &str) -> Value {
    let scopes: Vec<&str> = claims["scope"]
        .as_str()
        .map(|s| s.split(' ').filter(|x| !x.is_empty()).collect())
        .unwrap_or_default();
    json!({
        "issuer": claims["iss"], "subject": claims["sub"], "client_id": claims["client_id"], "scopes": scopes,
        "authorization_details": claims.get("authorization_details").cloned().unwrap_or(json!([])),
        "cnf_jkt": claims["cnf"]["jkt"], "acr": claims.get("acr").cloned().unwrap_or(Value::Null),
        "auth_time": claims.get("auth_time").cloned().unwrap_or(Value::Null),
        "expires_at": claims["exp"], "token_hash": b64::encode(&sha256(token.as_bytes())),
    })
}

pub fn access_token_cases(k: &Keys) -> Vec<Case> {
    let cfg = config(k);
    let input = |token: &str| json!({"token": token, "config": cfg, "now": NOW});
    let at = |patch: Value| {
        sign(
            json!({"typ": "at+jwt"}),
            &patched(&at_claims(k), patch),
            &k.es256,
        )
    };
    let good = at(json!({}));
    let mut cases = vec![ok(
        "verify-access-token/es256",
        "RFC 9068 §2: a DPoP-bound JWT access token from an allowed issuer",
        input(&good),
        out(&at_claims(k), &good),
    )];
    let rich = patched(
        &at_claims(k),
        json!({"aud": [AUD, "https://other.example.com"], "acr": "urn:example:mfa", "auth_time": NOW - 100,
               "authorization_details": [{"type": "payment_initiation", "actions": ["initiate"]}], "cnf": null}),
    );
    let rich_t = sign(json!({"typ": "application/at+jwt"}), &rich, &k.es256);
    let mut rich_out = out(&rich, &rich_t);
    rich_out["cnf_jkt"] = Value::Null;
    cases.push(ok(
        "verify-access-token/rich",
        "RFC 9068 §2.1 (typ application/at+jwt), RFC 8707 (aud array), RFC 9470 (acr, auth_time), RFC 9396 (authorization_details)",
        input(&rich_t),
        rich_out,
    ));
    let second = patched(&at_claims(k), json!({"iss": "https://as2.example.com"}));
    let second_t = sign(json!({"typ": "at+jwt"}), &second, &k.ed25519);
    cases.push(ok(
        "verify-access-token/second-issuer",
        "oauth.md §2.3 step 4: the issuer selects its own keys and algorithms (Ed25519 here)",
        input(&second_t),
        out(&second, &second_t),
    ));
    let bad = |id: &str, title: &str, token: String, code: &str| {
        err(
            &format!("verify-access-token/{id}"),
            title,
            input(&token),
            code,
        )
    };
    cases.extend([
        bad("typ-jwt", "RFC 9068 §4: typ JWT is not at+jwt", sign(json!({"typ": "JWT"}), &at_claims(k), &k.es256), "typ-mismatch"),
        bad("typ-missing", "RFC 8725 §3.11: no typ", sign(json!({}), &at_claims(k), &k.es256), "typ-mismatch"),
        bad("typ-dpop", "RFC 8725 §2.8: a DPoP proof type is not an access token", sign(json!({"typ": "dpop+jwt"}), &at_claims(k), &k.es256), "typ-mismatch"),
        bad("issuer-unknown", "RFC 9068 §4: iss outside the allow-list", at(json!({"iss": "https://evil.example.com"})), "claim-mismatch"),
        bad("issuer-missing", "RFC 9068 §2.2: iss is required", at(json!({"iss": null})), "claim-missing"),
        bad("issuer-key-swap", "oauth.md §2.3 step 4: as2's Ed25519 key cannot sign for as.example.com", sign(json!({"typ": "at+jwt"}), &at_claims(k), &k.ed25519), "alg-not-allowed"),
        bad("cross-issuer-key", "oauth.md §2.3 step 4: an ES256 token for as2, which uses Ed25519 only", sign(json!({"typ": "at+jwt"}), &second, &k.es256), "alg-not-allowed"),
        bad("unknown-kid", "RFC 7515 §4.1.4: kid not in the issuer's set", sign(json!({"typ": "at+jwt"}), &at_claims(k), &k.es256.clone().with_kid("rotated")), "key-not-found"),
        bad("tampered", "RFC 7515 §5.2: the signature does not verify", tamper_signature(&good), "invalid-signature"),
        bad("aud-other", "RFC 8707 §2 / RFC 9068 §4: aud is another resource", at(json!({"aud": "https://tools.example.com/other"})), "claim-mismatch"),
        bad("aud-prefix", "RFC 9068 §4: aud is compared exactly (a prefix is not this resource)", at(json!({"aud": "https://tools.example.com"})), "claim-mismatch"),
        bad("aud-missing", "RFC 9068 §2.2: aud is required", at(json!({"aud": null})), "claim-missing"),
        bad("expired", "RFC 7519 §4.1.4: exp in the past beyond the leeway", at(json!({"exp": NOW - 61})), "token-expired"),
        bad("exp-missing", "RFC 9068 §2.2: exp is required", at(json!({"exp": null})), "claim-missing"),
        bad("not-yet-valid", "RFC 7519 §4.1.5: nbf in the future beyond the leeway", at(json!({"nbf": NOW + 120})), "token-not-yet-valid"),
        bad("iat-future", "RFC 7519 §4.1.6: iat in the future beyond the leeway", at(json!({"iat": NOW + 120})), "token-issued-in-future"),
        bad("iat-missing", "RFC 9068 §2.2: iat is required", at(json!({"iat": null})), "claim-missing"),
        bad("sub-missing", "RFC 9068 §2.2: sub is required", at(json!({"sub": null})), "claim-missing"),
        bad("client-id-missing", "RFC 9068 §2.2: client_id is required", at(json!({"client_id": null})), "claim-missing"),
        bad("jti-missing", "RFC 9068 §2.2: jti is required", at(json!({"jti": null})), "claim-missing"),
        bad("scope-array", "RFC 9068 §2.2.3: scope is a space-separated string", at(json!({"scope": ["tools:call"]})), "claim-invalid"),
        bad("cnf-two-members", "RFC 7800 §3.1: cnf with jkt and jwk is ambiguous", at(json!({"cnf": {"jkt": "abc", "jwk": public(&k.es256)}})), "claim-invalid"),
        bad("cnf-jwk-only", "oauth.md §2.3 step 10: only cnf.jkt is supported for access tokens", at(json!({"cnf": {"jwk": public(&k.es256)}})), "claim-invalid"),
        bad("authorization-details-untyped", "RFC 9396 §2: each entry has a string type", at(json!({"authorization_details": [{"actions": ["read"]}]})), "claim-invalid"),
        bad("auth-time-string", "RFC 9470 §3: auth_time is a NumericDate", at(json!({"auth_time": "yesterday"})), "claim-invalid"),
        bad("alg-none", "RFC 8725 §3.1: alg none (with a non-empty signature, so the alg check is the one that fails)", format!("{}.{}.AAAA", b64::encode(br#"{"alg":"none","typ":"at+jwt"}"#), b64::encode(to_compact(&at_claims(k)).as_bytes())), "alg-not-allowed"),
    ]);
    cases.push(err(
        "verify-access-token/config-no-issuers",
        "generated: a configuration without issuers is refused",
        json!({"token": good, "config": to_compact(&json!({"issuers": [], "resource": AUD})), "now": NOW}),
        "invalid-argument",
    ));
    cases
}

pub fn introspection_cases(k: &Keys) -> (Vec<Case>, Vec<Case>) {
    let token = "opaque-token-1";
    let cfg = to_compact(&json!({"issuer": ISS, "resource": AUD, "leeway": 60}));
    let base = json!({"active": true, "iss": ISS, "aud": AUD, "sub": USER, "client_id": CLIENT, "scope": "tools:call",
                      "exp": NOW + 300, "token_type": "DPoP", "cnf": {"jkt": thumb(&k.es256_other)}});
    let input = |resp: &Value| json!({"response": to_compact(resp), "token": token, "config": cfg, "now": NOW});
    let expect = |resp: &Value| {
        json!({"issuer": ISS, "subject": resp.get("sub").cloned().unwrap_or(json!("")),
               "client_id": resp.get("client_id").cloned().unwrap_or(json!("")),
               "scopes": resp["scope"].as_str().map(|s| s.split(' ').collect::<Vec<_>>()).unwrap_or_default(),
               "authorization_details": [], "cnf_jkt": resp["cnf"]["jkt"], "acr": null, "auth_time": null,
               "expires_at": resp["exp"], "token_hash": b64::encode(&sha256(token.as_bytes()))})
    };
    let mut json_cases = vec![ok(
        "check-introspection-response/active-dpop",
        "RFC 7662 §2.2: an active DPoP-bound token for this resource",
        input(&base),
        expect(&base),
    )];
    let bearer = patched(
        &base,
        json!({"token_type": "Bearer", "cnf": null, "iss": null}),
    );
    json_cases.push(ok(
        "check-introspection-response/bearer-no-iss",
        "RFC 7662 §2.2: iss is optional; a Bearer token without cnf",
        input(&bearer),
        expect(&bearer),
    ));
    let bad = |id: &str, title: &str, patch: Value, code: &str| {
        err(
            &format!("check-introspection-response/{id}"),
            title,
            input(&patched(&base, patch)),
            code,
        )
    };
    json_cases.extend([
        bad(
            "inactive",
            "RFC 7662 §2.2: active false",
            json!({"active": false}),
            "token-inactive",
        ),
        bad(
            "active-string",
            "RFC 7662 §2.2: active is a boolean",
            json!({"active": "true"}),
            "claim-invalid",
        ),
        bad(
            "active-missing",
            "RFC 7662 §2.2: active is required",
            json!({"active": null}),
            "claim-missing",
        ),
        bad(
            "other-issuer",
            "oauth.md §5.1: iss is not our authorization server",
            json!({"iss": "https://evil.example.com"}),
            "claim-mismatch",
        ),
        bad(
            "aud-missing",
            "oauth.md §5.1: a response that does not say who the token is for is refused",
            json!({"aud": null}),
            "claim-missing",
        ),
        bad(
            "aud-other",
            "RFC 8707: the token is for another resource",
            json!({"aud": "https://other.example.com/mcp"}),
            "claim-mismatch",
        ),
        bad(
            "expired",
            "RFC 7662 §2.2: exp in the past",
            json!({"exp": NOW - 120}),
            "token-expired",
        ),
        bad(
            "not-yet-valid",
            "RFC 7662 §2.2: nbf in the future",
            json!({"nbf": NOW + 120}),
            "token-not-yet-valid",
        ),
        bad(
            "dpop-without-cnf",
            "RFC 9449 §6.2: a DPoP token type needs cnf.jkt",
            json!({"cnf": null}),
            "claim-missing",
        ),
        bad(
            "token-type-mac",
            "oauth.md §5.1: token_type is Bearer or DPoP",
            json!({"token_type": "mac"}),
            "claim-invalid",
        ),
    ]);
    let jwt_cfg = to_compact(
        &json!({"issuer": ISS, "jwks": jwks(&[&k.es256]), "algorithms": ["ES256"], "client_id": "rs-client",
                                     "resource": AUD, "leeway": 60}),
    );
    let jwt = |header: Value, claims: Value| sign(header, &claims, &k.es256);
    let outer = |inner: &Value| json!({"iss": ISS, "aud": "rs-client", "iat": NOW, "token_introspection": inner});
    let jinput = |t: &str| json!({"jwt": t, "token": token, "config": jwt_cfg, "now": NOW});
    let good = jwt(json!({"typ": "token-introspection+jwt"}), outer(&base));
    let jwt_cases = vec![
        ok(
            "verify-introspection-jwt/ok",
            "RFC 9701 §5: a signed introspection response for this resource server",
            jinput(&good),
            expect(&base),
        ),
        err(
            "verify-introspection-jwt/typ",
            "RFC 9701 §5: typ token-introspection+jwt is required",
            jinput(&jwt(json!({"typ": "at+jwt"}), outer(&base))),
            "typ-mismatch",
        ),
        err(
            "verify-introspection-jwt/audience",
            "RFC 9701 §5: aud is this resource server's client id",
            jinput(&jwt(
                json!({"typ": "token-introspection+jwt"}),
                patched(&outer(&base), json!({"aud": "someone-else"})),
            )),
            "claim-mismatch",
        ),
        err(
            "verify-introspection-jwt/iat-missing",
            "RFC 9701 §5: iat is required",
            jinput(&jwt(
                json!({"typ": "token-introspection+jwt"}),
                patched(&outer(&base), json!({"iat": null})),
            )),
            "claim-missing",
        ),
        err(
            "verify-introspection-jwt/tampered",
            "RFC 7515 §5.2: the response signature does not verify",
            jinput(&tamper_signature(&good)),
            "invalid-signature",
        ),
        err(
            "verify-introspection-jwt/inactive",
            "RFC 9701 §5 + RFC 7662: the inner response says inactive",
            jinput(&jwt(
                json!({"typ": "token-introspection+jwt"}),
                outer(&json!({"active": false})),
            )),
            "token-inactive",
        ),
        err(
            "verify-introspection-jwt/inner-missing",
            "RFC 9701 §5: token_introspection is required",
            jinput(&jwt(
                json!({"typ": "token-introspection+jwt"}),
                patched(&outer(&base), json!({"token_introspection": null})),
            )),
            "claim-invalid",
        ),
    ];
    (json_cases, jwt_cases)
}

pub fn metadata_cases() -> (Vec<Case>, Vec<Case>, Vec<Case>) {
    let mut urls = Vec::new();
    for (id, resource, url) in [
        (
            "root",
            "https://resource.example.com",
            "https://resource.example.com/.well-known/oauth-protected-resource",
        ),
        (
            "root-slash",
            "https://resource.example.com/",
            "https://resource.example.com/.well-known/oauth-protected-resource",
        ),
        (
            "path",
            "https://resource.example.com/resource1",
            "https://resource.example.com/.well-known/oauth-protected-resource/resource1",
        ),
        (
            "port-path",
            "https://mcp.example.com:8443/public/mcp",
            "https://mcp.example.com:8443/.well-known/oauth-protected-resource/public/mcp",
        ),
        (
            "query",
            "https://r.example/api?tenant=1",
            "https://r.example/.well-known/oauth-protected-resource/api?tenant=1",
        ),
    ] {
        urls.push(ok(
            &format!("metadata-url/{id}"),
            "RFC 9728 §3.1: the well-known path goes between the authority and the path",
            json!({"resource": resource}),
            json!({"url": url}),
        ));
    }
    urls.push(err(
        "metadata-url/http",
        "RFC 9728 §2: the resource identifier is an https URL",
        json!({"resource": "http://resource.example.com"}),
        "invalid-argument",
    ));
    urls.push(err(
        "metadata-url/fragment",
        "RFC 9728 §2: no fragment",
        json!({"resource": "https://resource.example.com/#x"}),
        "invalid-argument",
    ));
    let description = json!({"resource": AUD, "authorization_servers": [ISS], "scopes_supported": ["tools:call"],
                             "bearer_methods_supported": ["header"], "dpop_signing_alg_values_supported": ["ES256", "EdDSA"],
                             "dpop_bound_access_tokens_required": true, "resource_name": "Example tool server"});
    let docs = vec![
        ok(
            "resource-metadata-document/full",
            "RFC 9728 §2: the document a DPoP-only tool server serves",
            json!({"description": to_compact(&description)}),
            json!({"document": to_compact(&json!({"resource": AUD, "authorization_servers": [ISS], "scopes_supported": ["tools:call"],
                  "bearer_methods_supported": ["header"], "dpop_signing_alg_values_supported": ["ES256", "EdDSA"],
                  "dpop_bound_access_tokens_required": true, "resource_name": "Example tool server"}))}),
        ),
        ok(
            "resource-metadata-document/minimal",
            "RFC 9728 §2: only resource is required; an empty bearer_methods_supported says no Bearer",
            json!({"description": to_compact(&json!({"resource": AUD}))}),
            json!({"document": to_compact(&json!({"resource": AUD, "bearer_methods_supported": []}))}),
        ),
        err(
            "resource-metadata-document/unknown-member",
            "generated: a description member this library does not write is refused",
            json!({"description": to_compact(&json!({"resource": AUD, "jwks_uri": "https://x"}))}),
            "invalid-argument",
        ),
        err(
            "resource-metadata-document/http",
            "RFC 9728 §2: the resource identifier is an https URL",
            json!({"description": to_compact(&json!({"resource": "http://tools.example.com/mcp"}))}),
            "invalid-argument",
        ),
    ];
    let parsed = json!({"resource": AUD, "authorization_servers": [ISS], "scopes_supported": ["tools:call"],
                        "bearer_methods_supported": ["header"], "dpop_signing_alg_values_supported": ["ES256", "EdDSA"],
                        "dpop_bound_access_tokens_required": true, "authorization_details_types_supported": [],
                        "resource_name": "Example tool server"});
    let pin = |doc: &Value, expected: &str| json!({"text": to_compact(doc), "expected_resource": expected});
    let parses = vec![
        ok(
            "parse-resource-metadata/exact",
            "RFC 9728 §3.3: resource identical to the identifier the URL was built from",
            pin(&description, AUD),
            json!({"metadata": to_compact(&parsed)}),
        ),
        err(
            "parse-resource-metadata/prefix",
            "RFC 9728 §3.3 (exact rule, README): a document for the origin cannot speak for a path under it",
            pin(
                &patched(
                    &description,
                    json!({"resource": "https://tools.example.com/"}),
                ),
                AUD,
            ),
            "claim-mismatch",
        ),
        err(
            "parse-resource-metadata/trailing-slash",
            "RFC 9728 §3.3: identical means identical (a trailing slash differs)",
            pin(
                &patched(&description, json!({"resource": format!("{AUD}/")})),
                AUD,
            ),
            "claim-mismatch",
        ),
        err(
            "parse-resource-metadata/other-origin",
            "RFC 9728 §7.3: a document naming another resource (impersonation)",
            pin(
                &patched(
                    &description,
                    json!({"resource": "https://evil.example.com/mcp"}),
                ),
                AUD,
            ),
            "claim-mismatch",
        ),
        err(
            "parse-resource-metadata/missing",
            "RFC 9728 §2: resource is required",
            pin(&patched(&description, json!({"resource": null})), AUD),
            "claim-missing",
        ),
        err(
            "parse-resource-metadata/alg-none",
            "RFC 9728 §2: none must not be listed",
            pin(
                &patched(
                    &description,
                    json!({"dpop_signing_alg_values_supported": ["none"]}),
                ),
                AUD,
            ),
            "alg-not-allowed",
        ),
        err(
            "parse-resource-metadata/servers-not-list",
            "RFC 9728 §2: authorization_servers is an array of strings",
            pin(
                &patched(&description, json!({"authorization_servers": ISS})),
                AUD,
            ),
            "claim-invalid",
        ),
    ];
    (urls, docs, parses)
}

pub fn exchange_cases() -> (Vec<Case>, Vec<Case>, Vec<Case>) {
    const AT_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
    const JWT_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
    let req = |r: Value| json!({"request": to_compact(&r)});
    let requests = vec![
        ok(
            "token-exchange-request/delegation",
            "RFC 8693 §2.1 / oauth.md §4.1: the user's token as subject, the agent's assertion as actor, one resource and scope",
            req(
                json!({"subject_token": "user.at", "subject_token_type": AT_TYPE, "actor_token": "agent.jwt", "actor_token_type": JWT_TYPE,
                      "resource": ["https://calendar.example.com/api"], "scope": ["calendar.read"]}),
            ),
            json!({"body": "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&resource=https%3A%2F%2Fcalendar.example.com%2Fapi&scope=calendar.read&subject_token=user.at&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token&actor_token=agent.jwt&actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt"}),
        ),
        ok(
            "token-exchange-request/narrowing",
            "RFC 8693 §2.1: impersonation-style narrowing with repeated audience and two scopes (space becomes +), a requested token type",
            req(
                json!({"subject_token": "a b", "subject_token_type": AT_TYPE, "audience": ["tool-a", "tool b"], "scope": ["read", "write"],
                      "requested_token_type": "urn:ietf:params:oauth:token-type:txn_token"}),
            ),
            json!({"body": "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&audience=tool-a&audience=tool+b&scope=read+write&requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Atxn_token&subject_token=a+b&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"}),
        ),
        err(
            "token-exchange-request/actor-type-missing",
            "RFC 8693 §2.1: actor_token_type is required with actor_token",
            req(json!({"subject_token": "t", "subject_token_type": AT_TYPE, "actor_token": "a"})),
            "invalid-argument",
        ),
        err(
            "token-exchange-request/actor-type-alone",
            "RFC 8693 §2.1: actor_token_type must not appear without actor_token",
            req(
                json!({"subject_token": "t", "subject_token_type": AT_TYPE, "actor_token_type": JWT_TYPE}),
            ),
            "invalid-argument",
        ),
        err(
            "token-exchange-request/type-not-uri",
            "RFC 8693 §3: token types are URIs",
            req(json!({"subject_token": "t", "subject_token_type": "access_token"})),
            "invalid-argument",
        ),
        err(
            "token-exchange-request/resource-fragment",
            "RFC 8707 §2: a resource is an absolute URI without fragment",
            req(
                json!({"subject_token": "t", "subject_token_type": AT_TYPE, "resource": ["https://api.example.com/#x"]}),
            ),
            "invalid-argument",
        ),
        err(
            "token-exchange-request/subject-missing",
            "RFC 8693 §2.1: subject_token is required",
            req(json!({"subject_token_type": AT_TYPE})),
            "invalid-argument",
        ),
        err(
            "token-exchange-request/unknown-member",
            "generated: a misspelt member is refused, not ignored",
            req(json!({"subject_token": "t", "subject_token_type": AT_TYPE, "scopes": ["x"]})),
            "invalid-argument",
        ),
    ];
    let resp = |r: Value, requested: Option<&str>, expected: Option<&str>| json!({"text": to_compact(&r), "requested_token_type": requested, "expected_token_type": expected});
    let good = json!({"access_token": "eyJ.new", "issued_token_type": AT_TYPE, "token_type": "Bearer", "expires_in": 300, "scope": "calendar.read"});
    let responses = vec![
        ok(
            "parse-token-exchange-response/rfc-example",
            "RFC 8693 §2.2.1: the response example",
            resp(good.clone(), Some(AT_TYPE), None),
            json!({"access_token": "eyJ.new", "issued_token_type": AT_TYPE, "token_type": "Bearer", "expires_in": 300,
                  "scopes": ["calendar.read"], "refresh_token": null}),
        ),
        ok(
            "parse-token-exchange-response/dpop-minimal",
            "RFC 8693 §2.2.1 + RFC 9449 §5: a DPoP token, scope omitted (as requested)",
            resp(
                json!({"access_token": "x", "issued_token_type": AT_TYPE, "token_type": "dpop"}),
                None,
                Some("DPoP"),
            ),
            json!({"access_token": "x", "issued_token_type": AT_TYPE, "token_type": "dpop", "expires_in": null, "scopes": null, "refresh_token": null}),
        ),
        err(
            "parse-token-exchange-response/bearer-for-dpop",
            "RFC 9449 §5: a Bearer answer to a DPoP request is not used",
            resp(good.clone(), None, Some("DPoP")),
            "claim-mismatch",
        ),
        err(
            "parse-token-exchange-response/other-type",
            "RFC 8693 §2.2.1: issued_token_type differs from the one requested",
            resp(good.clone(), Some(JWT_TYPE), None),
            "claim-mismatch",
        ),
        err(
            "parse-token-exchange-response/no-issued-type",
            "RFC 8693 §2.2.1: issued_token_type is required",
            resp(
                patched(&good, json!({"issued_token_type": null})),
                None,
                None,
            ),
            "claim-missing",
        ),
        err(
            "parse-token-exchange-response/error-body",
            "RFC 6749 §5.2: an error body is not a token response",
            resp(json!({"error": "invalid_target"}), None, None),
            "claim-missing",
        ),
        err(
            "parse-token-exchange-response/expires-string",
            "RFC 6749 §5.1: expires_in is a number",
            resp(patched(&good, json!({"expires_in": "300"})), None, None),
            "claim-invalid",
        ),
    ];
    let claims =
        to_compact(&json!({"sub": "user:alice", "may_act": {"sub": "agent:planner", "iss": ISS}}));
    let may = |actor: &str, iss: Option<&str>| json!({"claims": claims, "actor_subject": actor, "actor_issuer": iss});
    let mays = vec![
        ok(
            "may-act/allowed",
            "RFC 8693 §4.4: the actor named in may_act, same issuer",
            may("agent:planner", Some(ISS)),
            json!({"allowed": true}),
        ),
        ok(
            "may-act/other-actor",
            "RFC 8693 §4.4: another actor",
            may("agent:other", Some(ISS)),
            json!({"allowed": false}),
        ),
        ok(
            "may-act/issuer-required",
            "RFC 8693 §4.4: may_act names an issuer the actor must match",
            may("agent:planner", None),
            json!({"allowed": false}),
        ),
        ok(
            "may-act/absent",
            "RFC 8693 §4.4: without may_act nobody may act",
            json!({"claims": to_compact(&json!({"sub": "user:alice"})), "actor_subject": "agent:planner", "actor_issuer": null}),
            json!({"allowed": false}),
        ),
        err(
            "may-act/malformed",
            "RFC 8693 §4.4: may_act is an object with sub",
            json!({"claims": to_compact(&json!({"may_act": "agent:planner"})), "actor_subject": "agent:planner", "actor_issuer": null}),
            "claim-invalid",
        ),
    ];
    (requests, responses, mays)
}

fn tts_key() -> KeyPair {
    KeyPair::from_seed(Algorithm::Es256, &seed("tts-1", 32))
        .unwrap()
        .with_kid("tts-1")
}

pub const TRUST_DOMAIN: &str = "trust-domain.example";

pub fn txn_claims() -> Value {
    json!({"iat": NOW, "exp": NOW + 60, "aud": TRUST_DOMAIN, "txn": "0b7c8f8e-3c1d-4bb4-9f1d-6c2f0f6f4a10",
           "sub": "user:alice", "scope": "calendar.create", "req_wl": "gateway.trust-domain.example",
           "rctx": {"req_ip": "198.51.100.7", "authn": "urn:example:mfa"}, "tctx": {"calendar_id": "primary", "max_events": 1}})
}

pub fn txn_token(patch: Value) -> String {
    sign(
        json!({"typ": "txntoken+jwt"}),
        &patched(&txn_claims(), patch),
        &tts_key(),
    )
}

pub fn txn_config() -> Value {
    json!({"trust_domain": TRUST_DOMAIN, "jwks": jwks(&[&tts_key()]), "algorithms": ["ES256"]})
}

pub fn txn_out(claims: &Value, token: &str) -> Value {
    json!({"txn": claims["txn"], "subject": claims["sub"], "scope": claims["scope"], "requesting_workload": claims["req_wl"],
           "tctx": claims.get("tctx").cloned().unwrap_or(Value::Null), "rctx": claims.get("rctx").cloned().unwrap_or(Value::Null),
           "issuer": claims.get("iss").cloned().unwrap_or(Value::Null), "expires_at": claims["exp"],
           "token_hash": b64::encode(&sha256(token.as_bytes()))})
}

pub fn txn_cases() -> (Vec<Case>, Vec<Case>) {
    let key: Value = serde_json::from_str(&tts_key().to_private_jwk_json()).unwrap();
    let params = json!({"audience": TRUST_DOMAIN, "txn": "0b7c8f8e-3c1d-4bb4-9f1d-6c2f0f6f4a10", "subject": "user:alice",
                        "scope": "calendar.create", "requesting_workload": "gateway.trust-domain.example",
                        "rctx": {"req_ip": "198.51.100.7", "authn": "urn:example:mfa"}, "tctx": {"calendar_id": "primary", "max_events": 1},
                        "lifetime": 60});
    let issue_in = |p: Value| json!({"key": key, "params": to_compact(&p), "now": NOW});
    // The claims in the order the issuer writes them.
    let issued = json!({"iat": NOW, "exp": NOW + 60, "aud": TRUST_DOMAIN, "txn": "0b7c8f8e-3c1d-4bb4-9f1d-6c2f0f6f4a10",
                        "sub": "user:alice", "scope": "calendar.create", "req_wl": "gateway.trust-domain.example",
                        "tctx": {"calendar_id": "primary", "max_events": 1}, "rctx": {"req_ip": "198.51.100.7", "authn": "urn:example:mfa"}});
    let issues = vec![
        ok(
            "issue-txn-token/spec-example",
            "oauth.md §7.1: the example's claims, typ txntoken+jwt, signed by the TTS key",
            issue_in(params.clone()),
            json!({"token": sign(json!({"typ": "txntoken+jwt"}), &issued, &tts_key())}),
        ),
        err(
            "issue-txn-token/lifetime-zero",
            "generated: a lifetime of 0",
            issue_in(patched(&params, json!({"lifetime": 0}))),
            "invalid-argument",
        ),
        err(
            "issue-txn-token/lifetime-long",
            "§7.1: minutes or less (at most 300 s here)",
            issue_in(patched(&params, json!({"lifetime": 301}))),
            "invalid-argument",
        ),
        err(
            "issue-txn-token/txn-empty",
            "§7.1: txn is required",
            issue_in(patched(&params, json!({"txn": ""}))),
            "invalid-argument",
        ),
        err(
            "issue-txn-token/tctx-not-object",
            "§7.1: tctx is an object",
            issue_in(patched(&params, json!({"tctx": "x"}))),
            "invalid-argument",
        ),
    ];
    let cfg = txn_config();
    let vin = |t: &str, c: &Value| json!({"token": t, "config": to_compact(c), "now": NOW});
    let good = txn_token(json!({}));
    let minimal_claims = patched(
        &txn_claims(),
        json!({"tctx": null, "rctx": null, "iss": "https://tts.trust-domain.example"}),
    );
    let minimal = sign(json!({"typ": "txntoken+jwt"}), &minimal_claims, &tts_key());
    let bad = |id: &str, title: &str, t: String, code: &str| {
        err(
            &format!("verify-txn-token/{id}"),
            title,
            vin(&t, &cfg),
            code,
        )
    };
    let mut verifies = vec![
        ok(
            "verify-txn-token/spec-example",
            "oauth.md §7.3: the §7.1 example verifies; the context is returned",
            vin(&good, &cfg),
            txn_out(&txn_claims(), &good),
        ),
        ok(
            "verify-txn-token/minimal-with-issuer",
            "§7.1: tctx and rctx are optional; a configured iss must match",
            vin(
                &minimal,
                &patched(&cfg, json!({"issuer": "https://tts.trust-domain.example"})),
            ),
            txn_out(&minimal_claims, &minimal),
        ),
        err(
            "verify-txn-token/issuer-required",
            "§7.3 step 3: a configured issuer makes iss required",
            vin(
                &good,
                &patched(&cfg, json!({"issuer": "https://tts.trust-domain.example"})),
            ),
            "claim-missing",
        ),
        err(
            "verify-txn-token/issuer-mismatch",
            "§7.3 step 3: iss is not the configured service",
            vin(
                &minimal,
                &patched(&cfg, json!({"issuer": "https://evil.example"})),
            ),
            "claim-mismatch",
        ),
    ];
    verifies.extend([
        bad(
            "typ-jwt",
            "§7.1: typ must be txntoken+jwt",
            sign(json!({"typ": "JWT"}), &txn_claims(), &tts_key()),
            "typ-mismatch",
        ),
        bad(
            "typ-at",
            "RFC 8725 §2.8: an access token is not a transaction token",
            sign(json!({"typ": "at+jwt"}), &txn_claims(), &tts_key()),
            "typ-mismatch",
        ),
        bad(
            "aud-other",
            "§7.3 step 5: another trust domain",
            txn_token(json!({"aud": "other.example"})),
            "claim-mismatch",
        ),
        bad(
            "aud-array",
            "§7.1: aud names one trust domain",
            txn_token(json!({"aud": [TRUST_DOMAIN, "other.example"]})),
            "claim-mismatch",
        ),
        bad(
            "expired",
            "§7.3 step 6: exp in the past",
            txn_token(json!({"iat": NOW - 400, "exp": NOW - 100})),
            "token-expired",
        ),
        bad(
            "iat-future",
            "§7.3 step 6: iat in the future",
            txn_token(json!({"iat": NOW + 120, "exp": NOW + 180})),
            "token-issued-in-future",
        ),
        bad(
            "iat-missing",
            "§7.1: iat is required",
            txn_token(json!({"iat": null})),
            "claim-missing",
        ),
        bad(
            "too-long",
            "§7.1: minutes or less (a 10-minute token exceeds the 300 s bound)",
            txn_token(json!({"exp": NOW + 600})),
            "token-too-old",
        ),
        bad(
            "txn-missing",
            "§7.1: txn is required",
            txn_token(json!({"txn": null})),
            "claim-missing",
        ),
        bad(
            "sub-missing",
            "§7.1: sub is required",
            txn_token(json!({"sub": null})),
            "claim-missing",
        ),
        bad(
            "scope-missing",
            "§7.1: scope is required",
            txn_token(json!({"scope": null})),
            "claim-missing",
        ),
        bad(
            "req-wl-missing",
            "§7.1: req_wl is required",
            txn_token(json!({"req_wl": null})),
            "claim-missing",
        ),
        bad(
            "tctx-string",
            "§7.1: tctx is an object",
            txn_token(json!({"tctx": "primary"})),
            "claim-invalid",
        ),
        bad(
            "tampered",
            "RFC 7515 §5.2: the signature does not verify",
            tamper_signature(&good),
            "invalid-signature",
        ),
        bad(
            "other-key",
            "§7.3 step 3: only the TTS's keys",
            sign(json!({"typ": "txntoken+jwt"}), &txn_claims(), &k_other()),
            "key-not-found",
        ),
    ]);
    (issues, verifies)
}

fn k_other() -> KeyPair {
    KeyPair::from_seed(Algorithm::Es256, &seed("tts-other", 32))
        .unwrap()
        .with_kid("tts-2")
}

pub fn client_auth_cases(k: &Keys) -> (Vec<Case>, Vec<Case>, Vec<Case>, Vec<Case>) {
    const CLIENT_ID: &str = "agent-planner";
    let key: Value = serde_json::from_str(&k.es256.to_private_jwk_json()).unwrap();
    let create_in = |client: &str, lifetime: u64, key: &Value| json!({"key": key, "client_id": client, "issuer": ISS, "jti": "ca-1", "now": NOW, "lifetime": lifetime});
    let claims = json!({"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": ISS, "iat": NOW, "nbf": NOW, "exp": NOW + 60, "jti": "ca-1"});
    let good = sign(json!({}), &claims, &k.es256);
    let hs: Value = serde_json::from_str(&k.hs256.to_private_jwk_json()).unwrap();
    let creates = vec![
        ok(
            "create-client-assertion/es256",
            "RFC 7523 §3 + rfc7523bis: iss = sub = client_id, aud = the AS issuer as a string, short exp, jti",
            create_in(CLIENT_ID, 60, &key),
            json!({"token": good}),
        ),
        err(
            "create-client-assertion/lifetime-zero",
            "generated: a lifetime of 0",
            create_in(CLIENT_ID, 0, &key),
            "invalid-argument",
        ),
        err(
            "create-client-assertion/lifetime-long",
            "oauth.md §6.3: assertions are short-lived (at most 300 s here)",
            create_in(CLIENT_ID, 3600, &key),
            "invalid-argument",
        ),
        err(
            "create-client-assertion/client-empty",
            "RFC 7523 §3: iss and sub are the client id",
            create_in("", 60, &key),
            "invalid-argument",
        ),
        err(
            "create-client-assertion/hmac",
            "oauth.md §6.3: private_key_jwt is asymmetric",
            create_in(CLIENT_ID, 60, &hs),
            "alg-not-allowed",
        ),
    ];
    let cfg = to_compact(
        &json!({"client_id": CLIENT_ID, "issuer": ISS, "jwks": jwks(&[&k.es256]), "algorithms": ["ES256"]}),
    );
    let vin = |t: &str| json!({"assertion": t, "config": cfg, "now": NOW});
    let at = |patch: Value| sign(json!({}), &patched(&claims, patch), &k.es256);
    let out = |exp: u64| json!({"client_id": CLIENT_ID, "jti": "ca-1", "expires_at": exp});
    let mut replay_in = vin(&good);
    replay_in["repeat"] = json!(2);
    let bad = |id: &str, title: &str, t: String, code: &str| {
        err(
            &format!("verify-client-assertion/{id}"),
            title,
            vin(&t),
            code,
        )
    };
    let verifies = vec![
        ok(
            "verify-client-assertion/ok",
            "RFC 7523 §3: a valid private_key_jwt assertion",
            vin(&good),
            out(NOW + 60),
        ),
        ok(
            "verify-client-assertion/aud-sole-array",
            "rfc7523bis: an array whose sole value is the issuer",
            vin(&at(json!({"aud": [ISS]}))),
            out(NOW + 60),
        ),
        bad(
            "aud-token-endpoint",
            "rfc7523bis: the token endpoint URL is no longer an accepted audience",
            at(json!({"aud": format!("{ISS}/token")})),
            "claim-mismatch",
        ),
        bad(
            "aud-extra",
            "rfc7523bis: the issuer must be the sole audience value",
            at(json!({"aud": [ISS, "https://other.example.com"]})),
            "claim-mismatch",
        ),
        bad(
            "iss-other",
            "RFC 7523 §3: iss is the client id",
            at(json!({"iss": "someone-else"})),
            "claim-mismatch",
        ),
        bad(
            "sub-other",
            "RFC 7523 §3: sub is the client id",
            at(json!({"sub": "someone-else"})),
            "claim-mismatch",
        ),
        bad(
            "expired",
            "RFC 7523 §3: exp in the past",
            at(json!({"exp": NOW - 120, "iat": NOW - 180, "nbf": NOW - 180})),
            "token-expired",
        ),
        bad(
            "exp-missing",
            "RFC 7523 §3: exp is required",
            at(json!({"exp": null})),
            "claim-missing",
        ),
        bad(
            "too-long",
            "oauth.md §6.3: an assertion valid for an hour is refused",
            at(json!({"exp": NOW + 3600})),
            "token-too-old",
        ),
        bad(
            "not-yet-valid",
            "RFC 7523 §3: nbf in the future",
            at(json!({"nbf": NOW + 120})),
            "token-not-yet-valid",
        ),
        bad(
            "jti-missing",
            "OIDC Core §9: jti is required",
            at(json!({"jti": null})),
            "claim-missing",
        ),
        bad(
            "tampered",
            "RFC 7515 §5.2: the signature does not verify",
            tamper_signature(&good),
            "invalid-signature",
        ),
        bad(
            "other-key",
            "RFC 7523 §3: only the client's registered keys",
            sign(json!({}), &claims, &k.es256_other),
            "key-not-found",
        ),
        err(
            "verify-client-assertion/replayed",
            "RFC 7523 §3: the same jti twice",
            replay_in,
            "replayed",
        ),
    ];
    let store = to_compact(
        &json!({"trust_domains": {"example.org": {"keys": [super::bundle_entry(&k.es256, "jwt-svid")]}}}),
    );
    let svid = |patch: Value| {
        sign(
            json!({"typ": "JWT"}),
            &patched(
                &json!({"sub": "spiffe://example.org/agent/planner", "aud": [ISS], "exp": NOW + 300, "iat": NOW}),
                patch,
            ),
            &k.es256,
        )
    };
    let sin = |t: String| json!({"assertion": t, "trust_store": store, "issuer": ISS, "now": NOW});
    let spiffe = vec![
        ok(
            "verify-spiffe-client-assertion/ok",
            "oauth.md §6.4: a JWT-SVID whose sole audience is the AS issuer",
            sin(svid(json!({}))),
            json!({"subject": "spiffe://example.org/agent/planner"}),
        ),
        err(
            "verify-spiffe-client-assertion/aud-extra",
            "oauth.md §6.4 (rfc7523bis): the AS issuer must be the sole audience",
            sin(svid(json!({"aud": [ISS, "https://other.example.com"]}))),
            "claim-mismatch",
        ),
        err(
            "verify-spiffe-client-assertion/aud-other",
            "oauth.md §6.4: the SVID is for another audience",
            sin(svid(json!({"aud": ["https://other.example.com"]}))),
            "claim-mismatch",
        ),
        err(
            "verify-spiffe-client-assertion/expired",
            "SPIFFE JWT-SVID §3: exp in the past",
            sin(svid(json!({"exp": NOW - 120}))),
            "token-expired",
        ),
        err(
            "verify-spiffe-client-assertion/other-domain",
            "SPIFFE JWT-SVID §4: keys only from the sub's trust domain",
            sin(svid(json!({"sub": "spiffe://other.org/agent/planner"}))),
            "unknown-trust-domain",
        ),
    ];
    let cc = |r: Value| json!({"request": to_compact(&r)});
    let requests = vec![
        ok(
            "client-credentials-request/private-key-jwt",
            "oauth.md §6.3: client_credentials with scope, resource and a private_key_jwt assertion",
            cc(
                json!({"client_id": CLIENT_ID, "scope": ["tools:call"], "resource": [AUD], "client_assertion": "eyJ.a.b"}),
            ),
            json!({"body": "grant_type=client_credentials&scope=tools%3Acall&resource=https%3A%2F%2Ftools.example.com%2Fmcp&client_id=agent-planner&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJ.a.b"}),
        ),
        ok(
            "client-credentials-request/jwt-svid",
            "oauth.md §6.4: the JWT-SVID mode assertion type",
            cc(json!({"client_id": "spiffe://example.org/agent/planner", "jwt_svid": "eyJ.s.v"})),
            json!({"body": "grant_type=client_credentials&client_id=spiffe%3A%2F%2Fexample.org%2Fagent%2Fplanner&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-spiffe&client_assertion=eyJ.s.v"}),
        ),
        ok(
            "client-credentials-request/mtls",
            "RFC 8705 §2: mTLS client authentication sends client_id only",
            cc(json!({"client_id": CLIENT_ID, "scope": ["a", "b"]})),
            json!({"body": "grant_type=client_credentials&scope=a+b&client_id=agent-planner"}),
        ),
        err(
            "client-credentials-request/two-methods",
            "RFC 6749 §2.3: one authentication method per request",
            cc(json!({"client_id": CLIENT_ID, "client_assertion": "x", "jwt_svid": "y"})),
            "invalid-argument",
        ),
        err(
            "client-credentials-request/resource-fragment",
            "RFC 8707 §2: no fragment in a resource",
            cc(json!({"client_id": CLIENT_ID, "resource": ["https://tools.example.com/#x"]})),
            "invalid-argument",
        ),
    ];
    (creates, verifies, spiffe, requests)
}

pub fn authzen_cases() -> Vec<(&'static str, Vec<Case>)> {
    let spec = json!({"subject": {"type": "user", "id": "alice@example.com"}, "resource": {"type": "account", "id": "123"},
                      "action": {"name": "can_read", "properties": {"method": "GET"}}, "context": {"time": "1985-10-26T01:22-07:00"}});
    let rq = |v: &Value| json!({"request": to_compact(v)});
    let evaluation = vec![
        ok(
            "authzen-evaluation-request/spec-example",
            "AuthZEN 1.0 §6.1: the evaluation request example, members in canonical order",
            rq(&spec),
            json!({"body": to_compact(&json!({"subject": {"type": "user", "id": "alice@example.com"},
               "action": {"name": "can_read", "properties": {"method": "GET"}}, "resource": {"type": "account", "id": "123"},
               "context": {"time": "1985-10-26T01:22-07:00"}}))}),
        ),
        err(
            "authzen-evaluation-request/no-action",
            "AuthZEN 1.0 §5: subject, action and resource are required",
            rq(&patched(&spec, json!({"action": null}))),
            "invalid-argument",
        ),
        err(
            "authzen-evaluation-request/empty-id",
            "AuthZEN 1.0 §5.1: id is a non-empty string",
            rq(&patched(
                &spec,
                json!({"subject": {"type": "user", "id": ""}}),
            )),
            "invalid-argument",
        ),
        err(
            "authzen-evaluation-request/entity-extra",
            "generated: an entity member outside type, id, properties is refused (the PEP builds the request)",
            rq(&patched(
                &spec,
                json!({"resource": {"type": "account", "id": "1", "owner": "x"}}),
            )),
            "invalid-argument",
        ),
    ];
    let batch = json!({"subject": {"type": "user", "id": "alice@example.com"}, "action": {"name": "read"},
                       "evaluations": [{"resource": {"type": "document", "id": "1"}}, {"resource": {"type": "document", "id": "2"}},
                                       {"resource": {"type": "document", "id": "3"}}],
                       "options": {"evaluations_semantic": "deny_on_first_deny"}});
    let evaluations = vec![
        ok(
            "authzen-evaluations-request/spec-example",
            "AuthZEN 1.0 §7.1: defaults at the top, three resources, deny_on_first_deny",
            rq(&batch),
            json!({"body": to_compact(&batch)}),
        ),
        ok(
            "authzen-evaluations-request/execute-all",
            "AuthZEN 1.0 §7.1.2: execute_all is the default and is not sent",
            rq(&patched(
                &batch,
                json!({"options": {"evaluations_semantic": "execute_all"}}),
            )),
            json!({"body": to_compact(&patched(&batch, json!({"options": null})))}),
        ),
        err(
            "authzen-evaluations-request/incomplete-item",
            "AuthZEN 1.0 §7.1: every item must end up with a resource",
            rq(&patched(&batch, json!({"evaluations": [{"context": {}}]}))),
            "invalid-argument",
        ),
        err(
            "authzen-evaluations-request/unknown-semantic",
            "AuthZEN 1.0 §7.1.2: three semantics are defined",
            rq(&patched(
                &batch,
                json!({"options": {"evaluations_semantic": "first"}}),
            )),
            "invalid-argument",
        ),
        err(
            "authzen-evaluations-request/empty",
            "generated: a batch without items is not a batch request",
            rq(&patched(&batch, json!({"evaluations": []}))),
            "invalid-argument",
        ),
    ];
    let text = |v: Value| json!({"text": to_compact(&v)});
    let decisions = vec![
        ok(
            "authzen-parse-decision/permit",
            "AuthZEN 1.0 §6.2: {\"decision\": true}",
            text(json!({"decision": true})),
            json!({"decision": true, "context": null}),
        ),
        ok(
            "authzen-parse-decision/deny-with-context",
            "AuthZEN 1.0 §6.2.1: a deny with reasons; unknown members ignored",
            text(json!({"decision": false, "context": {"reason": "not owner"}, "x-trace": 1})),
            json!({"decision": false, "context": {"reason": "not owner"}}),
        ),
        err(
            "authzen-parse-decision/string",
            "fail closed: \"true\" is not a boolean",
            text(json!({"decision": "true"})),
            "claim-invalid",
        ),
        err(
            "authzen-parse-decision/missing",
            "AuthZEN 1.0 §5.5: decision is required",
            text(json!({"context": {}})),
            "claim-missing",
        ),
        err(
            "authzen-parse-decision/number",
            "fail closed: 1 is not a boolean",
            text(json!({"decision": 1})),
            "claim-invalid",
        ),
    ];
    let ev = |v: Value, count: u64, sem: &str| json!({"text": to_compact(&v), "count": count, "semantic": sem});
    let d = |b: bool| json!({"decision": b, "context": null});
    let parsed = vec![
        ok(
            "authzen-parse-evaluations/execute-all",
            "AuthZEN 1.0 §7.1.2.1: [true, false, true] in request order",
            ev(
                json!({"evaluations": [{"decision": true}, {"decision": false}, {"decision": true}]}),
                3,
                "execute_all",
            ),
            json!({"evaluations": [d(true), d(false), d(true)]}),
        ),
        ok(
            "authzen-parse-evaluations/deny-on-first-deny",
            "AuthZEN 1.0 §7.1.2.2: short-circuited after the deny; the unevaluated item is a deny",
            ev(
                json!({"evaluations": [{"decision": true}, {"decision": false, "context": {"code": "200", "reason": "deny_on_first_deny"}}]}),
                3,
                "deny_on_first_deny",
            ),
            json!({"evaluations": [d(true), {"decision": false, "context": {"code": "200", "reason": "deny_on_first_deny"}}, d(false)]}),
        ),
        ok(
            "authzen-parse-evaluations/permit-on-first-permit",
            "AuthZEN 1.0 §7.1.2.3: [true] for three items; the rest are denials (fail closed)",
            ev(
                json!({"evaluations": [{"decision": true}]}),
                3,
                "permit_on_first_permit",
            ),
            json!({"evaluations": [d(true), d(false), d(false)]}),
        ),
        err(
            "authzen-parse-evaluations/short-execute-all",
            "AuthZEN 1.0 §7.1.2.1: execute_all returns every decision",
            ev(
                json!({"evaluations": [{"decision": true}]}),
                3,
                "execute_all",
            ),
            "claim-invalid",
        ),
        err(
            "authzen-parse-evaluations/too-many",
            "generated: more decisions than requests",
            ev(
                json!({"evaluations": [{"decision": true}, {"decision": true}]}),
                1,
                "deny_on_first_deny",
            ),
            "claim-invalid",
        ),
        err(
            "authzen-parse-evaluations/missing",
            "AuthZEN 1.0 §7.2: evaluations is required in a batch response",
            ev(json!({"decision": true}), 2, "execute_all"),
            "claim-missing",
        ),
    ];
    let urls = vec![
        ok(
            "authzen-metadata-url/root",
            "AuthZEN 1.0 §9.2: the well-known URL of a PDP",
            json!({"pdp": "https://pdp.example.com"}),
            json!({"url": "https://pdp.example.com/.well-known/authzen-configuration"}),
        ),
        ok(
            "authzen-metadata-url/tenant",
            "AuthZEN 1.0 §9.2: multi-tenant PDPs keep their path after the well-known string",
            json!({"pdp": "https://pdp.example.com/tenant1"}),
            json!({"url": "https://pdp.example.com/.well-known/authzen-configuration/tenant1"}),
        ),
        err(
            "authzen-metadata-url/query",
            "AuthZEN 1.0 §9.1: no query in the PDP identifier",
            json!({"pdp": "https://pdp.example.com/?t=1"}),
            "invalid-argument",
        ),
    ];
    let meta = json!({"policy_decision_point": "https://pdp.example.com", "access_evaluation_endpoint": "https://pdp.example.com/access/v1/evaluation",
                      "access_evaluations_endpoint": "https://pdp.example.com/access/v1/evaluations", "supported_capabilities": ["urn:example:cap"]});
    let mi = |v: &Value, e: &str| json!({"text": to_compact(v), "expected_pdp": e});
    let metas = vec![
        ok(
            "authzen-parse-metadata/ok",
            "AuthZEN 1.0 §9.1: endpoints, and the supported_capabilities spelling accepted",
            mi(&meta, "https://pdp.example.com"),
            json!({"metadata": to_compact(&json!({"policy_decision_point": "https://pdp.example.com",
               "access_evaluation_endpoint": "https://pdp.example.com/access/v1/evaluation",
               "access_evaluations_endpoint": "https://pdp.example.com/access/v1/evaluations", "search_subject_endpoint": null,
               "search_resource_endpoint": null, "search_action_endpoint": null, "capabilities": ["urn:example:cap"]}))}),
        ),
        err(
            "authzen-parse-metadata/other-pdp",
            "AuthZEN 1.0 §9.3: a document naming another PDP is not used",
            mi(&meta, "https://pdp.other.com"),
            "claim-mismatch",
        ),
        err(
            "authzen-parse-metadata/no-evaluation-endpoint",
            "AuthZEN 1.0 §9.1: access_evaluation_endpoint is required",
            mi(
                &patched(&meta, json!({"access_evaluation_endpoint": null})),
                "https://pdp.example.com",
            ),
            "claim-missing",
        ),
        err(
            "authzen-parse-metadata/http-endpoint",
            "AuthZEN 1.0 §9.1: endpoints are https URLs",
            mi(
                &patched(
                    &meta,
                    json!({"access_evaluation_endpoint": "http://pdp.example.com/e"}),
                ),
                "https://pdp.example.com",
            ),
            "claim-invalid",
        ),
    ];
    vec![
        ("authzen-evaluation-request", evaluation),
        ("authzen-evaluations-request", evaluations),
        ("authzen-parse-decision", decisions),
        ("authzen-parse-evaluations", parsed),
        ("authzen-metadata-url", urls),
        ("authzen-parse-metadata", metas),
    ]
}

pub fn agent_card_cases() -> (Vec<Case>, Vec<Case>) {
    let v1 = json!({"name": "planner", "securitySchemes": {
            "agentOAuth": {"oauth2SecurityScheme": {"oauth2MetadataUrl": "https://as.example.com/.well-known/oauth-authorization-server",
                "flows": {"clientCredentials": {"tokenUrl": "https://as.example.com/token", "scopes": {"tasks:write": "create tasks", "tasks:read": "read tasks"}}}}},
            "corpMtls": {"mtlsSecurityScheme": {"description": "client cert from corp CA"}},
            "sso": {"openIdConnectSecurityScheme": {"openIdConnectUrl": "https://idp.example.com/.well-known/openid-configuration"}},
            "dpop": {"httpAuthSecurityScheme": {"scheme": "dpop"}}},
        "securityRequirements": [
            {"schemes": {"agentOAuth": {"list": ["tasks:write"]}}},
            {"schemes": {"sso": {"list": ["openid"]}, "corpMtls": {}}}],
        "skills": [{"id": "plan", "securityRequirements": [{"schemes": {"dpop": {}}}]}, {"id": "free"}]});
    let oauth_req = json!({"name": "agentOAuth", "kind": "oauth2", "scopes": ["tasks:write"], "details": {
        "metadata_url": "https://as.example.com/.well-known/oauth-authorization-server", "flow": "client_credentials",
        "token_url": "https://as.example.com/token"}});
    let input =
        |card: &Value, skill: Option<&str>| json!({"card": to_compact(card), "skill": skill});
    let v03 = json!({"name": "legacy", "securitySchemes": {
            "oauth": {"type": "oauth2", "oauth2MetadataUrl": "https://as.example.com/.well-known/oauth-authorization-server",
                      "flows": {"clientCredentials": {"tokenUrl": "https://as.example.com/token", "scopes": {"tasks:write": "create"}}}},
            "mtls": {"type": "mutualTLS"}, "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "apikey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
        "security": [{"oauth": ["tasks:write"]}, {"apikey": [], "mtls": []}]});
    let cards = vec![
        ok(
            "agent-card-requirements/v1",
            "oauth.md §9.2 (A2A v1.0): alternatives of all-required schemes (sorted by name); ProtoJSON {} for an empty scope list",
            input(&v1, None),
            json!({"alternatives": [[oauth_req],
               [{"name": "corpMtls", "kind": "mtls", "scopes": [], "details": {}},
                {"name": "sso", "kind": "openIdConnect", "scopes": ["openid"], "details": {"openid_connect_url": "https://idp.example.com/.well-known/openid-configuration"}}]]}),
        ),
        ok(
            "agent-card-requirements/v1-skill",
            "A2A v1.0: a skill's own requirements; the http scheme is reported in its registered spelling",
            input(&v1, Some("plan")),
            json!({"alternatives": [[{"name": "dpop", "kind": "http", "scopes": [], "details": {"scheme": "DPoP"}}]]}),
        ),
        ok(
            "agent-card-requirements/v1-skill-open",
            "A2A v1.0: a skill without requirements requires nothing of its own",
            input(&v1, Some("free")),
            json!({"alternatives": []}),
        ),
        ok(
            "agent-card-requirements/v03",
            "oauth.md §9.2 (A2A v0.3): OpenAPI type discriminators and the security list",
            input(&v03, None),
            json!({"alternatives": [[{"name": "oauth", "kind": "oauth2", "scopes": ["tasks:write"], "details": {
                   "metadata_url": "https://as.example.com/.well-known/oauth-authorization-server", "flow": "client_credentials",
                   "token_url": "https://as.example.com/token"}}],
               [{"name": "apikey", "kind": "apiKey", "scopes": [], "details": {"location": "header", "parameter": "X-API-Key"}},
                {"name": "mtls", "kind": "mtls", "scopes": [], "details": {}}]]}),
        ),
        err(
            "agent-card-requirements/undeclared",
            "OpenAPI 3.0 §4.8.30: a requirement must name a declared scheme (refused, not skipped)",
            input(
                &patched(
                    &v1,
                    json!({"securityRequirements": [{"schemes": {"ghost": {}}}]}),
                ),
                None,
            ),
            "claim-invalid",
        ),
        err(
            "agent-card-requirements/unknown-kind",
            "A2A v1.0: a scheme outside the one-of is refused",
            input(
                &patched(
                    &v1,
                    json!({"securitySchemes": {"x": {"magicSecurityScheme": {}}}, "securityRequirements": [{"schemes": {"x": {}}}]}),
                ),
                None,
            ),
            "claim-invalid",
        ),
        err(
            "agent-card-requirements/no-skill",
            "generated: asking for a skill the card does not list",
            input(&v1, Some("nope")),
            "invalid-argument",
        ),
    ];
    let url = "https://planner.example.com/oauth/client.json";
    let doc = json!({"client_id": url, "client_name": "Planner agent", "client_uri": "https://planner.example.com",
                     "grant_types": ["client_credentials", "authorization_code"], "redirect_uris": ["https://planner.example.com/oauth/callback"],
                     "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://planner.example.com/oauth/jwks.json",
                     "dpop_bound_access_tokens": true});
    let ci = |d: &Value, u: &str| json!({"text": to_compact(d), "url": u});
    let cimd = vec![
        ok(
            "check-client-metadata-document/spec-example",
            "oauth.md §8: the example document, client_id equal to its URL",
            ci(&doc, url),
            json!({"document": to_compact(&doc)}),
        ),
        err(
            "check-client-metadata-document/other-url",
            "CIMD §4: client_id must equal the URL it was fetched from",
            ci(&doc, "https://planner.example.com/oauth/other.json"),
            "claim-mismatch",
        ),
        err(
            "check-client-metadata-document/secret",
            "CIMD §4.1: no shared secrets in the document",
            ci(&patched(&doc, json!({"client_secret": "s3cr3t"})), url),
            "claim-invalid",
        ),
        err(
            "check-client-metadata-document/basic-auth",
            "CIMD §4.1: no symmetric client authentication",
            ci(
                &patched(
                    &doc,
                    json!({"token_endpoint_auth_method": "client_secret_basic"}),
                ),
                url,
            ),
            "claim-invalid",
        ),
        err(
            "check-client-metadata-document/no-redirects",
            "MCP: client_name and redirect_uris are required",
            ci(&patched(&doc, json!({"redirect_uris": null})), url),
            "claim-missing",
        ),
        err(
            "check-client-metadata-document/dot-segment",
            "CIMD §3: no dot segments in the client_id URL",
            ci(
                &patched(
                    &doc,
                    json!({"client_id": "https://planner.example.com/oauth/../client.json"}),
                ),
                "https://planner.example.com/oauth/../client.json",
            ),
            "invalid-argument",
        ),
        err(
            "check-client-metadata-document/no-path",
            "CIMD §3: the client_id URL has a path",
            ci(
                &patched(&doc, json!({"client_id": "https://planner.example.com"})),
                "https://planner.example.com",
            ),
            "invalid-argument",
        ),
        err(
            "check-client-metadata-document/too-large",
            "CIMD §6: documents are capped (5 KB here)",
            ci(
                &patched(
                    &doc,
                    json!({"logo_uri": format!("https://planner.example.com/{}", "a".repeat(5200))}),
                ),
                url,
            ),
            "limit-exceeded",
        ),
    ];
    (cards, cimd)
}

pub fn agent_card_signature_cases(k: &Keys) -> (Vec<Case>, Vec<Case>) {
    let key: Value = serde_json::from_str(&k.es256.to_private_jwk_json()).unwrap();
    let card = json!({"name": "Planner", "description": "Plans trips ✈ for users", "version": "1.0.0",
        "supportedInterfaces": [{"url": "https://planner.example.com/a2a", "protocolBinding": "JSONRPC"}],
        "capabilities": {"streaming": true}, "defaultInputModes": ["text/plain"], "defaultOutputModes": ["text/plain"],
        "skills": [{"id": "plan", "name": "Plan a trip", "description": "", "tags": ["travel"]}]});
    // What the signature covers: no signatures, empty values removed, RFC 8785 order.
    let payload = a2a_auth::encoding::jcs::canonicalize(&json!({"name": "Planner", "description": "Plans trips ✈ for users", "version": "1.0.0",
        "supportedInterfaces": [{"url": "https://planner.example.com/a2a", "protocolBinding": "JSONRPC"}],
        "capabilities": {"streaming": true}, "defaultInputModes": ["text/plain"], "defaultOutputModes": ["text/plain"],
        "skills": [{"id": "plan", "name": "Plan a trip", "tags": ["travel"]}]})).unwrap();
    let jws = sign(
        json!({"typ": "JOSE"}),
        &serde_json::from_str::<Value>(&payload).unwrap(),
        &k.es256,
    );
    let mut parts = jws.split('.');
    let (protected, _, signature) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let mut signed = card.clone();
    signed["signatures"] = json!([{"protected": protected, "signature": signature}]);
    let signs = vec![
        ok(
            "sign-agent-card/es256",
            "A2A §8.4.2: JWS over the RFC 8785 canonical card without signatures and empty values; kid and typ JOSE",
            json!({"card": to_compact(&card), "key": key}),
            json!({"card": to_compact(&signed)}),
        ),
        err(
            "sign-agent-card/float",
            "RFC 8785 §3.2.2.3: non-integer numbers are refused here rather than risk a different byte",
            json!({"card": to_compact(&patched(&card, json!({"rating": 4.5}))), "key": key}),
            "invalid-argument",
        ),
    ];
    let pinned = jwks(&[&k.es256]);
    let vin = |c: &Value| json!({"card": to_compact(c), "keys": pinned, "algorithms": ["ES256"]});
    let other_key = KeyPair::from_seed(Algorithm::Es256, &seed("card-other", 32))
        .unwrap()
        .with_kid("es256-1");
    let other_sig = {
        let j = sign(
            json!({"typ": "JOSE"}),
            &serde_json::from_str::<Value>(&payload).unwrap(),
            &other_key,
        );
        let p: Vec<&str> = j.split('.').collect();
        json!({"protected": p[0], "signature": p[2]})
    };
    let jwt_typ = {
        let j = sign(
            json!({"typ": "JWT"}),
            &serde_json::from_str::<Value>(&payload).unwrap(),
            &k.es256,
        );
        let p: Vec<&str> = j.split('.').collect();
        json!({"protected": p[0], "signature": p[2]})
    };
    let ok_out = json!({"kid": "es256-1", "alg": "ES256"});
    let verifies = vec![
        ok(
            "verify-agent-card/ok",
            "A2A §8.4.3: one valid signature under a pinned key",
            vin(&signed),
            ok_out.clone(),
        ),
        ok(
            "verify-agent-card/empty-values",
            "A2A §8.4.1: empty strings, lists and objects are not covered",
            vin(&patched(
                &signed,
                json!({"documentationUrl": "", "securitySchemes": {}, "extensions": []}),
            )),
            ok_out.clone(),
        ),
        ok(
            "verify-agent-card/second-signature",
            "A2A §8.4.3: at least one signature must verify",
            vin(&patched(
                &signed,
                json!({"signatures": [other_sig.clone(), signed["signatures"][0].clone()]}),
            )),
            ok_out.clone(),
        ),
        err(
            "verify-agent-card/tampered",
            "A2A §8.4.3: a changed member breaks the signature",
            vin(&patched(&signed, json!({"name": "Planner Pro"}))),
            "invalid-signature",
        ),
        err(
            "verify-agent-card/other-key",
            "A2A §8.4.3: a signature by another key with the same kid",
            vin(&patched(&signed, json!({"signatures": [other_sig]}))),
            "invalid-signature",
        ),
        err(
            "verify-agent-card/unsigned",
            "A2A §8.4.3: clients SHOULD verify at least one signature",
            vin(&card),
            "credential-missing",
        ),
        err(
            "verify-agent-card/typ-jwt",
            "A2A §8.4.2: typ, when present, is JOSE",
            vin(&patched(&signed, json!({"signatures": [jwt_typ]}))),
            "typ-mismatch",
        ),
        err(
            "verify-agent-card/alg-not-pinned",
            "RFC 8725 §3.1: the verifier's algorithm list decides",
            json!({"card": to_compact(&signed), "keys": pinned, "algorithms": ["EdDSA"]}),
            "alg-not-allowed",
        ),
    ];
    (signs, verifies)
}

pub fn discovery_cases() -> Vec<(&'static str, Vec<Case>)> {
    let ch = |scheme: &str, t68: Option<&str>, params: &[(&str, &str)]| json!({"scheme": scheme, "token68": t68, "params": params.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>()});
    let w = |values: &[&str]| json!({"values": values});
    let meta = "https://tools.example.com/.well-known/oauth-protected-resource/mcp";
    let challenges = vec![
        ok(
            "parse-www-authenticate/mcp-401",
            "MCP 2025-11-25 + RFC 9728 §5.1: a Bearer challenge carrying resource_metadata and scope",
            w(&[&format!(
                r#"Bearer resource_metadata="{meta}", scope="tools:call""#
            )]),
            json!({"challenges": [ch("Bearer", None, &[("resource_metadata", meta), ("scope", "tools:call")])]}),
        ),
        ok(
            "parse-www-authenticate/two-schemes",
            "RFC 9110 §11.6.1: Bearer and DPoP challenges in one field",
            w(&[r#"Bearer realm="tools", DPoP algs="ES256 EdDSA", error="use_dpop_nonce""#]),
            json!({"challenges": [ch("Bearer", None, &[("realm", "tools")]), ch("DPoP", None, &[("algs", "ES256 EdDSA"), ("error", "use_dpop_nonce")])]}),
        ),
        ok(
            "parse-www-authenticate/fields-and-token68",
            "RFC 9110 §11.6.1: several fields, a token68, a bare scheme, case-folded names, token values",
            w(&[
                "Basic dXNlcjpwYXNz==",
                "Negotiate, WPT",
                "Bearer ERROR=invalid_token",
            ]),
            json!({"challenges": [ch("Basic", Some("dXNlcjpwYXNz=="), &[]), ch("Negotiate", None, &[]), ch("WPT", None, &[]),
                                 ch("Bearer", None, &[("error", "invalid_token")])]}),
        ),
        ok(
            "parse-www-authenticate/escapes",
            "RFC 9110 §5.6.4: quoted-pair inside a quoted string",
            w(&[r#"Bearer error_description="a \"quoted\" \\ word""#]),
            json!({"challenges": [ch("Bearer", None, &[("error_description", r#"a "quoted" \ word"#)])]}),
        ),
        err(
            "parse-www-authenticate/repeated-param",
            "RFC 9110 §11.2: a parameter name occurs once per challenge",
            w(&[r#"Bearer error="a", error="b""#]),
            "invalid-argument",
        ),
        err(
            "parse-www-authenticate/unterminated",
            "RFC 9110 §5.6.4: an unterminated quoted string",
            w(&[r#"Bearer realm="x"#]),
            "invalid-argument",
        ),
        err(
            "parse-www-authenticate/garbage",
            "RFC 9110 §11.6.1: parameters are comma-separated",
            w(&[r#"Bearer realm="x" junk"#]),
            "invalid-argument",
        ),
        ok(
            "parse-www-authenticate/token68-padding",
            "RFC 9110 §11.6.1: `realm=` followed by a comma is a token68, not a parameter",
            w(&["Bearer realm=, x"]),
            json!({"challenges": [ch("Bearer", Some("realm="), &[]), ch("x", None, &[])]}),
        ),
    ];
    let c = |server: &str, rm: Option<&str>| json!({"server_url": server, "resource_metadata": rm});
    let candidates = vec![
        ok(
            "resource-metadata-candidates/with-challenge",
            "MCP 2025-11-25 discovery step 2: the challenge's URL first, then the well-known URLs",
            c("https://tools.example.com/mcp", Some(meta)),
            json!({"urls": [meta, "https://tools.example.com/.well-known/oauth-protected-resource"]}),
        ),
        ok(
            "resource-metadata-candidates/no-challenge",
            "MCP 2025-11-25 discovery step 2: path-specific, then root",
            c("https://mcp.example.com:8443/public/mcp/", None),
            json!({"urls": ["https://mcp.example.com:8443/.well-known/oauth-protected-resource/public/mcp",
                           "https://mcp.example.com:8443/.well-known/oauth-protected-resource"]}),
        ),
        ok(
            "resource-metadata-candidates/root",
            "MCP 2025-11-25 discovery step 2: a server at the root",
            c("https://mcp.example.com", None),
            json!({"urls": ["https://mcp.example.com/.well-known/oauth-protected-resource"]}),
        ),
        err(
            "resource-metadata-candidates/http",
            "MCP: https only",
            c("http://mcp.example.com/mcp", None),
            "invalid-argument",
        ),
    ];
    let as_urls = vec![
        ok(
            "authorization-server-metadata-candidates/tenant",
            "MCP 2025-11-25 discovery step 4: an issuer with a path",
            json!({"issuer": "https://auth.example.com/tenant1"}),
            json!({"urls": ["https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
                           "https://auth.example.com/.well-known/openid-configuration/tenant1",
                           "https://auth.example.com/tenant1/.well-known/openid-configuration"]}),
        ),
        ok(
            "authorization-server-metadata-candidates/root",
            "MCP 2025-11-25 discovery step 4: an issuer without a path",
            json!({"issuer": "https://auth.example.com"}),
            json!({"urls": ["https://auth.example.com/.well-known/oauth-authorization-server", "https://auth.example.com/.well-known/openid-configuration"]}),
        ),
        err(
            "authorization-server-metadata-candidates/query",
            "RFC 8414 §2: an issuer has no query",
            json!({"issuer": "https://auth.example.com/?t=1"}),
            "invalid-argument",
        ),
    ];
    let doc = json!({"issuer": ISS, "token_endpoint": format!("{ISS}/token"), "authorization_endpoint": format!("{ISS}/authorize"),
                     "jwks_uri": format!("{ISS}/jwks"), "scopes_supported": ["tools:call"], "dpop_signing_alg_values_supported": ["ES256"],
                     "code_challenge_methods_supported": ["S256"], "client_id_metadata_document_supported": true,
                     "authorization_response_iss_parameter_supported": true, "grant_types_supported": ["client_credentials"]});
    let mi = |d: &Value, e: &str| json!({"text": to_compact(d), "expected_issuer": e});
    let metadata = vec![
        ok(
            "parse-authorization-server-metadata/ok",
            "RFC 8414 §2 + CIMD + RFC 9207: what a client reads; other members ignored",
            mi(&doc, ISS),
            json!({"metadata": to_compact(&json!({"issuer": ISS, "token_endpoint": format!("{ISS}/token"),
               "authorization_endpoint": format!("{ISS}/authorize"), "jwks_uri": format!("{ISS}/jwks"), "registration_endpoint": null,
               "scopes_supported": ["tools:call"], "dpop_signing_alg_values_supported": ["ES256"], "code_challenge_methods_supported": ["S256"],
               "client_id_metadata_document_supported": true, "authorization_response_iss_parameter_supported": true}))}),
        ),
        err(
            "parse-authorization-server-metadata/issuer-mismatch",
            "RFC 8414 §3.3: issuer identical to the one the URL was built from (mix-up defence)",
            mi(&doc, "https://as.example.com/tenant1"),
            "claim-mismatch",
        ),
        err(
            "parse-authorization-server-metadata/no-token-endpoint",
            "RFC 8414 §2: token_endpoint is required here",
            mi(&patched(&doc, json!({"token_endpoint": null})), ISS),
            "claim-missing",
        ),
        err(
            "parse-authorization-server-metadata/http-endpoint",
            "RFC 8414 §2: endpoints are https",
            mi(
                &patched(
                    &doc,
                    json!({"token_endpoint": "http://as.example.com/token"}),
                ),
                ISS,
            ),
            "claim-invalid",
        ),
        err(
            "parse-authorization-server-metadata/alg-none",
            "RFC 9449 §5.1: none is never a DPoP algorithm",
            mi(
                &patched(&doc, json!({"dpop_signing_alg_values_supported": ["none"]})),
                ISS,
            ),
            "alg-not-allowed",
        ),
    ];
    vec![
        ("parse-www-authenticate", challenges),
        ("resource-metadata-candidates", candidates),
        ("authorization-server-metadata-candidates", as_urls),
        ("parse-authorization-server-metadata", metadata),
    ]
}

pub fn wit_attestation_cases(k: &Keys) -> (Vec<Case>, Vec<Case>) {
    let wit = sign(json!({"typ": "wit+jwt"}), &super::wit_claims(k), &k.es256);
    let agent: Value = serde_json::from_str(&k.ed25519.to_private_jwk_json()).unwrap();
    let other: Value = serde_json::from_str(&k.es256_other.to_private_jwk_json()).unwrap();
    let create_in = |key: &Value, challenge: Option<&str>| json!({"key": key, "wit": wit, "issuer": ISS, "jti": "pop-1", "challenge": challenge, "now": NOW});
    let pop = |patch: Value, header: Value| {
        sign(
            header,
            &patched(
                &json!({"aud": ISS, "jti": "pop-1", "iat": NOW, "challenge": "c-1"}),
                patch,
            ),
            &k.ed25519,
        )
    };
    let good = pop(
        json!({}),
        json!({"typ": "oauth-client-attestation-pop+jwt"}),
    );
    let creates = vec![
        ok(
            "create-client-attestation-pop/with-challenge",
            "draft-ietf-oauth-attestation-based-client-auth §5.2 (SPIFFE WIT mode): aud, jti, iat, challenge; signed by the WIT's key",
            create_in(&agent, Some("c-1")),
            json!({"token": good}),
        ),
        err(
            "create-client-attestation-pop/other-key",
            "SPIFFE client auth (WIT mode): the PoP key is the WIT's cnf key",
            create_in(&other, None),
            "invalid-argument",
        ),
    ];
    let store = super::trust_store(k);
    let vin = |p: &str, challenge: Option<&str>| json!({"wit": wit, "pop": p, "trust_store": store, "issuer": ISS, "challenge": challenge, "now": NOW});
    let mut replay = vin(&good, Some("c-1"));
    replay["repeat"] = json!(2);
    let hdr = json!({"typ": "oauth-client-attestation-pop+jwt"});
    let verifies = vec![
        ok(
            "verify-wit-client-attestation/ok",
            "SPIFFE client auth (WIT mode): WIT from the trust domain, PoP under its key, the server's challenge",
            vin(&good, Some("c-1")),
            json!({"subject": super::SUBJECT}),
        ),
        ok(
            "verify-wit-client-attestation/no-challenge-required",
            "attestation-based client auth §5.2: challenge is checked only when the server issued one",
            vin(&pop(json!({"challenge": null}), hdr.clone()), None),
            json!({"subject": super::SUBJECT}),
        ),
        err(
            "verify-wit-client-attestation/challenge-mismatch",
            "attestation-based client auth §8: the challenge must be the server's",
            vin(&good, Some("c-2")),
            "claim-mismatch",
        ),
        err(
            "verify-wit-client-attestation/aud-token-endpoint",
            "attestation-based client auth §5.2: aud is the AS issuer",
            vin(
                &pop(json!({"aud": format!("{ISS}/token")}), hdr.clone()),
                Some("c-1"),
            ),
            "claim-mismatch",
        ),
        err(
            "verify-wit-client-attestation/aud-array",
            "oidc-provider interop note: aud must be a string",
            vin(&pop(json!({"aud": [ISS]}), hdr.clone()), Some("c-1")),
            "claim-invalid",
        ),
        err(
            "verify-wit-client-attestation/typ",
            "attestation-based client auth §5.2: typ oauth-client-attestation-pop+jwt",
            vin(&pop(json!({}), json!({"typ": "wpt+jwt"})), Some("c-1")),
            "typ-mismatch",
        ),
        err(
            "verify-wit-client-attestation/old",
            "attestation-based client auth §12: a PoP older than the window",
            vin(&pop(json!({"iat": NOW - 600}), hdr.clone()), Some("c-1")),
            "token-too-old",
        ),
        err(
            "verify-wit-client-attestation/jti-missing",
            "attestation-based client auth §5.2: jti is required",
            vin(&pop(json!({"jti": null}), hdr.clone()), Some("c-1")),
            "claim-missing",
        ),
        err(
            "verify-wit-client-attestation/other-signer",
            "the PoP must be signed by the WIT's cnf key",
            vin(
                &sign(
                    hdr.clone(),
                    &json!({"aud": ISS, "jti": "pop-1", "iat": NOW, "challenge": "c-1"}),
                    &k.es256_other,
                ),
                Some("c-1"),
            ),
            "alg-not-allowed",
        ),
        err(
            "verify-wit-client-attestation/replayed",
            "attestation-based client auth §12.1: a PoP is used once",
            replay,
            "replayed",
        ),
    ];
    (creates, verifies)
}

pub fn cimd_generation_cases() -> Vec<Case> {
    let url = "https://planner.example.com/oauth/client.json";
    let doc = json!({"client_id": url, "client_name": "Planner agent", "redirect_uris": ["https://planner.example.com/oauth/callback"],
                     "grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt",
                     "jwks_uri": "https://planner.example.com/oauth/jwks.json"});
    vec![
        ok(
            "client-metadata-document/private-key-jwt",
            "CIMD §4 + MCP: an agent's document, written as the AS will check it",
            json!({"description": to_compact(&doc)}),
            json!({"document": to_compact(&doc)}),
        ),
        err(
            "client-metadata-document/secret",
            "CIMD §4.1: a shared secret never goes in the document",
            json!({"description": to_compact(&patched(&doc, json!({"client_secret": "x"})))}),
            "claim-invalid",
        ),
        err(
            "client-metadata-document/no-client-id",
            "CIMD §4: client_id (the document's URL) is required",
            json!({"description": to_compact(&patched(&doc, json!({"client_id": null})))}),
            "claim-missing",
        ),
    ]
}

pub fn plan_cases() -> Vec<Case> {
    let prm = json!({"resource": AUD, "authorization_servers": [ISS], "scopes_supported": ["tools:call", "tools:list"],
                     "dpop_signing_alg_values_supported": ["ES256"]});
    let asm = json!({"issuer": ISS, "token_endpoint": format!("{ISS}/token"), "authorization_endpoint": format!("{ISS}/authorize"),
                     "code_challenge_methods_supported": ["S256"], "client_id_metadata_document_supported": true,
                     "registration_endpoint": format!("{ISS}/register"), "dpop_signing_alg_values_supported": ["ES256", "EdDSA"]});
    let input = |p: &Value, a: &Value, scope: Option<&str>, pre: bool| {
        json!({"resource_metadata": to_compact(p), "expected_resource": AUD,
        "server_metadata": to_compact(a), "issuer": ISS, "challenge_scope": scope, "preregistered": pre})
    };
    let plan = |scope: Option<&str>, registration: &str, dpop: bool| {
        json!({"plan": {"resource": AUD, "issuer": ISS,
        "token_endpoint": format!("{ISS}/token"), "authorization_endpoint": format!("{ISS}/authorize"), "scope": scope,
        "registration": registration, "dpop": dpop}})
    };
    vec![
        ok(
            "plan-authorization/challenge-scope",
            "MCP 2025-11-25 steps 5–7: the challenge's scope, CIMD registration, DPoP in common",
            input(&prm, &asm, Some("tools:call"), false),
            plan(Some("tools:call"), "client_id_metadata_document", true),
        ),
        ok(
            "plan-authorization/scopes-supported",
            "MCP step 6: without a challenge scope, all of scopes_supported",
            input(&prm, &asm, None, false),
            plan(
                Some("tools:call tools:list"),
                "client_id_metadata_document",
                true,
            ),
        ),
        ok(
            "plan-authorization/dcr",
            "MCP step 5: dynamic registration when CIMD is not supported; no DPoP without a common algorithm",
            input(
                &patched(
                    &prm,
                    json!({"dpop_signing_alg_values_supported": ["PS256"]}),
                ),
                &patched(&asm, json!({"client_id_metadata_document_supported": null})),
                None,
                false,
            ),
            plan(Some("tools:call tools:list"), "dynamic_registration", false),
        ),
        ok(
            "plan-authorization/preregistered",
            "MCP step 5: a pre-registered client comes first",
            input(&prm, &asm, None, true),
            plan(Some("tools:call tools:list"), "preregistered", true),
        ),
        err(
            "plan-authorization/not-listed",
            "RFC 9728 §2: the resource must name this authorization server",
            input(
                &patched(
                    &prm,
                    json!({"authorization_servers": ["https://other.example.com"]}),
                ),
                &asm,
                None,
                false,
            ),
            "claim-mismatch",
        ),
        err(
            "plan-authorization/no-pkce",
            "MCP: refuse an authorization server without PKCE S256",
            input(
                &prm,
                &patched(&asm, json!({"code_challenge_methods_supported": ["plain"]})),
                None,
                false,
            ),
            "claim-invalid",
        ),
    ]
}
