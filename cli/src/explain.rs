//! `a2a-auth inspect --explain`: what a denial means, which check and spec section refused it,
//! and what to change. One entry per error code; a test checks the table covers every code.

use serde_json::Value;

/// What one error code means for the person reading a denial.
pub struct Explanation {
    /// The check that failed.
    pub check: &'static str,
    /// The spec section (or policy member) behind the check.
    pub spec: &'static str,
    /// What the caller or the operator changes.
    pub fix: &'static str,
}

const fn e(check: &'static str, spec: &'static str, fix: &'static str) -> Explanation {
    Explanation { check, spec, fix }
}

/// The explanation of `code`, or `None` for a code this library does not produce.
pub fn explain(code: &str) -> Option<Explanation> {
    Some(match code {
        "access-denied" => e(
            "the policy decision point (AuthZEN) answered decision: false after authentication passed",
            "AuthZEN Authorization API 1.0, Access Evaluation API",
            "ask the PDP's owner; the PDP's `context` may say why (the caller's credentials were fine)",
        ),
        "agent-not-allowed" => e(
            "the calling workload (WIT `sub` or mTLS peer) matches none of the route's `agents` patterns",
            "the policy's `routes[].agents` (SPIFFE ID / WIMSE identifier patterns)",
            "call with the identity the route expects, or add the agent's ID (or a `/*` pattern) to the route",
        ),
        "alg-not-allowed" => e(
            "the JWS `alg` is not in the verifier's allow-list (or is `none`, or unknown)",
            "RFC 8725 §3.1 (use an algorithm allow-list); RFC 7518 §3.1",
            "sign with an allowed algorithm (ES256, ES384, EdDSA, ...) or add it to the policy's `algorithms`",
        ),
        "attestation-rejected" => e(
            "the identity server refused the attestation evidence: unknown attester, not bound to the presented key, or no rule's selectors match",
            "WIMSE architecture (workload attestation); the issuer policy's `attesters` and `rules`",
            "present evidence from a configured attester, with `cnf.jkt` = the thumbprint of the key you present, whose claims match a rule",
        ),
        "binding-mismatch" => e(
            "a proof does not bind the credential it came with (`wth`, `ath`, `tth`, `oth`, or a DPoP key that is not the token's `cnf.jkt`)",
            "RFC 9449 §4.3 and §6.1 (ath, cnf.jkt); draft-ietf-wimse-s2s-protocol §4 (WPT wth/ath/tth/oth)",
            "sign each proof with the key the WIT / access token binds, over the exact tokens sent with it",
        ),
        "certificate-rejected" => e(
            "the X.509-SVID breaks a SPIFFE rule (URI SAN count, CA leaf, key usage, critical extension)",
            "SPIFFE X509-SVID §4 and §5",
            "issue the leaf with exactly one spiffe:// URI SAN, CA=false and digitalSignature",
        ),
        "claim-invalid" => e(
            "a claim has the wrong JSON type or an invalid value (e.g. a NumericDate as a string)",
            "RFC 7519 §4.1 (registered claims); the token kind's profile",
            "fix the named claim at the issuer",
        ),
        "claim-mismatch" => e(
            "a claim does not equal what this verifier expects (iss, aud, sub, htm/htu, ...)",
            "RFC 7519 §4.1.1 and §4.1.3; RFC 9068 §4 (aud is this resource); RFC 8707 (resource indicators)",
            "request the token for this resource (`resource=` the policy's `resource`), from a trusted issuer, for this method and URI",
        ),
        "claim-missing" => e(
            "a claim the token kind requires is absent",
            "RFC 9068 §2.2 (access tokens); draft-ietf-wimse-s2s-protocol §3 (WIT, WPT); RFC 9449 §4.2 (DPoP)",
            "have the issuer include the named claim",
        ),
        "component-not-covered" => e(
            "the HTTP signature does not cover a component the verifier requires (@method, @path, content-digest, ...)",
            "RFC 9421 §1.4 and §3.2; draft-ietf-wimse-http-signature (required components)",
            "cover every required component in Signature-Input, and content-digest when there is a body",
        ),
        "credential-duplicated" => e(
            "a credential that must appear once appears several times (two Authorization, DPoP or WIT fields)",
            "RFC 6750 §2; RFC 9449 §4.3 (exactly one DPoP header)",
            "send each credential once",
        ),
        "credential-missing" => e(
            "the request lacks a credential the route requires (WIT, WPT, DPoP proof, Txn-Token)",
            "RFC 6750 §3 and RFC 9449 §7.1 (challenges); RFC 9728 (where to get a token)",
            "send the credentials the WWW-Authenticate challenge names; the resource metadata says which authorization servers to use",
        ),
        "credential-revoked" => e(
            "a security event applied to the verifier (CAEP session-revoked, credential-change, ...) covers this credential, issued before the event",
            "OpenID CAEP 1.0 §3; RFC 8417 (SET); OpenID Shared Signals Framework 1.0",
            "obtain new credentials issued after the event (the user signs in again; the agent gets a new token or WIT)",
        ),
        "crit-unsupported" => e(
            "the JWS `crit` header names an extension this verifier does not understand",
            "RFC 7515 §4.1.11",
            "do not mark extensions critical unless the verifier supports them",
        ),
        "delegation-not-allowed" => e(
            "the token's `act` chain is longer than the route allows, or its current actor is not one the route names",
            "RFC 8693 §4.1 (act); the policy's `routes[].max_delegation_depth` and `actors`",
            "call with a shorter delegation chain, or let the operator name the actor / raise the depth on the route",
        ),
        "digest-mismatch" => e(
            "Content-Digest does not match the body received (or has no sha-256/sha-512 member)",
            "RFC 9530 §2",
            "compute Content-Digest over the exact body bytes sent, after any encoding",
        ),
        "duplicate-json-member" => e(
            "a JSON object repeats a member name",
            "RFC 7515 §5.2 (reject duplicate header parameters); RFC 7493 §2.3 (I-JSON)",
            "emit each member once",
        ),
        "insufficient-scope" => e(
            "the access token lacks a scope or authorization_details type the route requires",
            "RFC 6750 §3.1 (insufficient_scope); RFC 9396 (authorization_details)",
            "request a token with the scope named in the challenge",
        ),
        "insufficient-user-authentication" => e(
            "the user's authentication behind the token is too weak (acr) or too old (max_age)",
            "RFC 9470 §3 (step-up authentication challenge)",
            "send the user through authentication again with the acr_values / max_age in the challenge",
        ),
        "invalid-argument" => e(
            "an argument the caller (not the peer) supplied is unusable: a policy member, a key, an option",
            "the library's configuration (the detail names the member)",
            "fix the named configuration member",
        ),
        "invalid-bundle" => e(
            "a SPIFFE trust bundle breaks a rule that invalidates it",
            "SPIFFE Trust Domain and Bundle §4",
            "publish a bundle whose keys have `use` and `kid` as the spec requires",
        ),
        "invalid-component" => e(
            "an HTTP signature component cannot be computed from the message",
            "RFC 9421 §2",
            "cover only components the message has, with valid parameters",
        ),
        "invalid-identifier" => e(
            "a SPIFFE ID or WIMSE identifier is not in canonical form",
            "SPIFFE-ID §2; draft-ietf-wimse-identifier",
            "use the canonical form (lower-case trust domain, no empty or dot segments, no query or fragment)",
        ),
        "invalid-key" => e(
            "a key is malformed or unusable (bad point, wrong length, mismatched private part)",
            "RFC 7517 §4; RFC 7518 §6",
            "make a fresh key (`a2a-auth keygen`) or fix the JWK members",
        ),
        "invalid-signature" => e(
            "the signature did not verify under the key its kid names",
            "RFC 7515 §5.2; RFC 9421 §3.2",
            "the token was signed by another key or altered in transit: check the signer's kid and published keys",
        ),
        "jwe-unsupported" => e(
            "the token is encrypted (JWE); only signed tokens are accepted here",
            "RFC 7516",
            "send a JWS",
        ),
        "key-mismatch" => e(
            "the key's type, curve, alg or use does not fit the algorithm (key confusion)",
            "RFC 8725 §3.1",
            "publish the key with the matching kty/crv/alg/use",
        ),
        "key-not-found" => e(
            "no trusted key matches the token's kid (or algorithm)",
            "RFC 7515 §4.1.4; SPIFFE bundle / RFC 7517 JWKS",
            "publish the signing key in the issuer's JWKS or trust bundle (the verifier refetches on an unknown kid)",
        ),
        "limit-exceeded" => e(
            "a counted limit was exceeded (token size, JSON depth, keys, signature checks, HTTP signature field size)",
            "the library's Limits (the detail names the limit)",
            "send smaller tokens and documents",
        ),
        "malformed-base64" => e(
            "text that must be unpadded base64url is not",
            "RFC 7515 §2; RFC 4648 §5",
            "encode with base64url, no padding",
        ),
        "malformed-certificate" => e(
            "not a DER X.509 certificate (or PEM with other blocks)",
            "RFC 5280",
            "send the certificate chain as DER / PEM CERTIFICATE blocks",
        ),
        "malformed-http-signature" => e(
            "Signature / Signature-Input are not valid RFC 9421 dictionaries, or several signatures match",
            "RFC 9421 §4",
            "send one signature per label, as structured-field dictionaries",
        ),
        "malformed-json" => e(
            "bytes that must be a JSON object are not",
            "RFC 8259",
            "send a JSON object in UTF-8",
        ),
        "malformed-token" => e(
            "not a JWS in compact serialization (or a forbidden header member)",
            "RFC 7515 §7.1",
            "send header.payload.signature, each base64url",
        ),
        "misdirected-request" => e(
            "the target URI names an origin this resource does not serve",
            "RFC 9110 §15.5.20 (421); the policy's `authorities`",
            "the host must build the target URI from its configured origin, never from Host; or add the origin to `authorities`",
        ),
        "no-matching-route" => e(
            "no route of the policy covers this method and path (unrouted requests are denied)",
            "the policy's `routes`",
            "add a route for the path, or call a path the policy covers",
        ),
        "replayed" => e(
            "a proof's jti was already seen from the same sender",
            "RFC 9449 §11.1; draft-ietf-wimse-s2s-protocol (WPT jti)",
            "make a fresh proof (new jti) for every request; never resend one",
        ),
        "token-expired" => e(
            "exp (or notAfter) is in the past",
            "RFC 7519 §4.1.4",
            "get a new token; renew WITs at half their lifetime",
        ),
        "token-inactive" => e(
            "introspection says the token is not active",
            "RFC 7662 §2.2",
            "get a new token from the authorization server",
        ),
        "token-issued-in-future" => e(
            "iat is in the future beyond the leeway",
            "RFC 7519 §4.1.6",
            "fix the issuer's clock (or the verifier's)",
        ),
        "token-not-yet-valid" => e(
            "nbf (or notBefore) is in the future",
            "RFC 7519 §4.1.5",
            "wait, or fix the clocks",
        ),
        "token-too-old" => e(
            "the proof (or evidence) is older than the verifier's maximum age, from iat",
            "RFC 9449 §11.1; draft-ietf-wimse-s2s-protocol (WPT lifetime)",
            "make the proof just before sending",
        ),
        "typ-mismatch" => e(
            "the JWS typ is absent or not the explicit type this token kind needs",
            "RFC 8725 §3.11; RFC 9068 §2.1 (at+jwt); RFC 9449 §4.2 (dpop+jwt); WIMSE wit+jwt / wpt+jwt",
            "issue the token with its explicit typ",
        ),
        "unknown-trust-domain" => e(
            "the identifier's trust domain has no trust anchors here",
            "SPIFFE Trust Domain and Bundle §3; the policy's `trust_domains` / `bundle_endpoints`",
            "add the caller's trust domain (its bundle or bundle endpoint) to the policy",
        ),
        "untrusted-chain" => e(
            "no valid certification path to the trust domain's X.509 authorities",
            "SPIFFE X509-SVID §5; RFC 5280 §6",
            "present the full chain issued under the trust domain's current bundle",
        ),
        "use-dpop-nonce" => e(
            "the DPoP proof lacks the server's current nonce",
            "RFC 9449 §8 and §9",
            "retry once with the DPoP-Nonce value from the response in the proof's `nonce` (signed fetch helpers do this)",
        ),
        _ => return None,
    })
}

/// The explanation text of a denial given as a decision record, a denial / problem JSON
/// object, or a bare error code.
///
/// # Errors
/// A one-line message when the input names no known code.
pub fn explain_input(text: &str) -> Result<String, String> {
    let text = text.trim();
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    let obj = parsed.as_ref().and_then(Value::as_object);
    let code = match obj {
        Some(o) => ["error", "code"]
            .iter()
            .find_map(|k| match o.get(*k) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Object(inner)) => {
                    inner.get("code").and_then(Value::as_str).map(str::to_owned)
                }
                _ => None,
            })
            .or_else(|| {
                // An RFC 9457 problem body from an edge host: the title is the code.
                o.get("title").and_then(Value::as_str).map(str::to_owned)
            }),
        None => Some(text.to_owned()),
    };
    let Some(code) = code else {
        if obj.and_then(|o| o.get("decision")).and_then(Value::as_str) == Some("allow") {
            return Ok("allowed: nothing to explain\n".to_owned());
        }
        return Err(
            "--explain: give a decision record, a denial, or an error code (e.g. token-expired)"
                .into(),
        );
    };
    let ex = explain(&code).ok_or_else(|| {
        format!("--explain: `{code}` is not an a2a-auth error code (see `a2a-auth inspect --explain --help`)")
    })?;
    let mut out = String::new();
    let field = |name: &str| obj.and_then(|o| o.get(name)).filter(|v| !v.is_null());
    let status = field("status").map(Value::to_string);
    out.push_str(&format!(
        "denied: {}{code}\n",
        status.map(|s| format!("{s} ")).unwrap_or_default()
    ));
    out.push_str(&format!("  what failed:    {}\n", ex.check));
    out.push_str(&format!("  spec:           {}\n", ex.spec));
    out.push_str(&format!("  what to change: {}\n", ex.fix));
    let s = |name: &str| field(name).and_then(Value::as_str).map(str::to_owned);
    let mut context = Vec::new();
    if let (Some(m), Some(p)) = (s("method"), s("path")) {
        context.push(format!("request {m} {p}"));
    }
    if let Some(r) = s("route") {
        context.push(format!("route {r}"));
    }
    if let Some(a) = s("agent") {
        context.push(format!("agent {a}"));
    }
    if let Some(u) = s("user") {
        context.push(format!("user {u}"));
    }
    if let Some(Value::Array(actors)) = field("actors")
        && !actors.is_empty()
    {
        let names: Vec<&str> = actors.iter().filter_map(Value::as_str).collect();
        context.push(format!("act chain {}", names.join(" ← ")));
    }
    if let Some(Value::Object(ev)) = field("event") {
        let g = |k: &str| ev.get(k).and_then(Value::as_str).unwrap_or("?");
        context.push(format!(
            "caused by security event {} (jti {}, from {})",
            g("type"),
            g("jti"),
            g("iss")
        ));
    }
    if let Some(d) = s("detail") {
        context.push(format!("detail: {d}"));
    }
    if !context.is_empty() {
        out.push_str(&format!("  context:        {}\n", context.join("; ")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained() {
        for code in a2a_auth::Error::ALL_CODES {
            assert!(explain(code).is_some(), "no explanation for {code}");
        }
        assert!(explain("no-such-code").is_none());
    }
}
