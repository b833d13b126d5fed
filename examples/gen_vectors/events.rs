//! Vectors for Security Event Tokens (`events.verify-set`), the SSF receiving shapes
//! (`events.receive-push`, `events.receive-poll`) and the compliance check
//! (`audit.check-records`).
//!
//! SETs are signed with a fixed ES256 transmitter key; payloads follow the CAEP 1.0 and SSF 1.0
//! examples with this project's issuer and audience. Each negative case breaks one rule of
//! RFC 8417 / the SSF SET profile / CAEP.

use super::gate::{SSF_ISS, caep_set, transmitter};
use super::*;

const CAEP: &str = "https://schemas.openid.net/secevent/caep/event-type/";
const SSF: &str = "https://schemas.openid.net/secevent/ssf/event-type/";

fn config(extra: Value) -> Value {
    patched(
        &json!({"issuer": SSF_ISS, "jwks": jwks(&[&transmitter()]), "audience": AUD}),
        extra,
    )
}

fn base_claims(patch: Value) -> Value {
    patched(
        &json!({"iss": SSF_ISS, "iat": NOW, "jti": "set-1", "aud": AUD,
                "sub_id": {"format": "iss_sub", "iss": ISS, "sub": "user-123"},
                "events": {format!("{CAEP}session-revoked"): {"event_timestamp": NOW - 30}}}),
        patch,
    )
}

fn signed_set(claims: &Value) -> String {
    sign(json!({"typ": "secevent+jwt"}), claims, &transmitter())
}

fn short(uri: &str) -> &str {
    uri.strip_prefix(CAEP)
        .or_else(|| uri.strip_prefix(SSF))
        .unwrap_or(uri)
}

/// What `events.verify-set` returns for a SET this generator signed.
fn info(set: &str, claims: &Value, subject: &Value) -> Value {
    let events = claims["events"].as_object().unwrap();
    json!({
        "issuer": SSF_ISS, "jti": claims["jti"], "issued_at": claims["iat"],
        "time_of_event": claims.get("toe").cloned().unwrap_or(Value::Null),
        "txn": claims.get("txn").cloned().unwrap_or(Value::Null),
        "subject": subject, "events": claims["events"],
        "event_types": events.keys().map(|u| short(u)).collect::<Vec<_>>(),
        "token_hash": b64::encode(&sha256(set.as_bytes())),
        "key_thumbprint": thumb(&transmitter()),
    })
}

#[allow(clippy::too_many_lines)]
pub fn verify_set_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let input = |set: &str, config: Value| json!({"set": set, "config": config, "now": NOW});
    let mut good = |id: &str, title: &str, patch: Value| {
        let claims = base_claims(patch);
        let set = signed_set(&claims);
        let subject = claims.get("sub_id").cloned().unwrap_or_else(|| {
            claims["events"]
                .as_object()
                .unwrap()
                .values()
                .next()
                .unwrap()["subject"]
                .clone()
        });
        cases.push(ok(
            &format!("verify-set/{id}"),
            title,
            input(&set, config(json!({}))),
            info(&set, &claims, &subject),
        ));
    };
    good(
        "session-revoked",
        "CAEP 1.0 §3.1: session-revoked with an iss_sub subject",
        json!({}),
    );
    good(
        "session-revoked-complex",
        "SSF §3.3 / CAEP 1.0 §3.1 example: a complex user + device subject, reason_admin and reason_user in two languages",
        json!({"sub_id": {"format": "complex", "user": {"format": "iss_sub", "iss": ISS, "sub": "user-123"},
                          "device": {"format": "iss_sub", "iss": ISS, "sub": "e9297990-14d2-42ec-a4a9-4036db86509a"}},
               "events": {format!("{CAEP}session-revoked"): {"initiating_entity": "policy",
                   "reason_admin": {"en": "Landspeed Policy Violation: C076E82F"},
                   "reason_user": {"en": "Access attempt from multiple regions.", "es-410": "Intento de acceso desde varias regiones."},
                   "event_timestamp": NOW - 30}}}),
    );
    good(
        "assurance-level-change",
        "CAEP 1.0 §3.4 example: assurance-level-change NIST-AAL increase with txn",
        json!({"txn": "8675309", "events": {format!("{CAEP}assurance-level-change"): {"namespace": "NIST-AAL",
            "current_level": "nist-aal2", "previous_level": "nist-aal1", "change_direction": "increase",
            "initiating_entity": "user", "event_timestamp": NOW - 100}}}),
    );
    good(
        "credential-change",
        "CAEP 1.0 §3.3: credential-change (fido2-roaming create) with an email subject",
        json!({"sub_id": {"format": "email", "email": "user@example.com"},
               "events": {format!("{CAEP}credential-change"): {"credential_type": "fido2-roaming", "change_type": "create",
                   "fido2_aaguid": "accced6a-63f5-490a-9eea-e59bc1896cfc", "friendly_name": "Jane's USB authenticator",
                   "initiating_entity": "user", "event_timestamp": NOW - 10}}}),
    );
    good(
        "token-claims-change",
        "CAEP 1.0 §3.2: token-claims-change with the changed claims",
        json!({"events": {format!("{CAEP}token-claims-change"): {"claims": {"role": "ro-admin"}, "event_timestamp": NOW - 10}}}),
    );
    good(
        "device-compliance-change",
        "CAEP 1.0 §3.5: device-compliance-change to not-compliant",
        json!({"events": {format!("{CAEP}device-compliance-change"): {"previous_status": "compliant", "current_status": "not-compliant"}}}),
    );
    good(
        "risk-level-change",
        "CAEP 1.0 §3.8: risk-level-change with risk_reason",
        json!({"events": {format!("{CAEP}risk-level-change"): {"principal": "USER", "current_level": "HIGH", "previous_level": "LOW",
            "risk_reason": "PASSWORD_FOUND_IN_DATA_BREACH"}}}),
    );
    good(
        "verification",
        "SSF §8.1.4.1: the verification event, opaque stream-id subject, echoed state",
        json!({"sub_id": {"format": "opaque", "id": "f67e39a0a4d34d56b3aa1bc4cff0069f"},
               "events": {format!("{SSF}verification"): {"state": "VGhpcyBpcyBhbiBleGFtcGxlIHN0YXRlIHZhbHVlLgo="}}}),
    );
    good(
        "stream-updated",
        "SSF §8.1.5: stream-updated (paused) with a reason",
        json!({"sub_id": {"format": "opaque", "id": "f67e39a0a4d34d56b3aa1bc4cff0069f"},
               "events": {format!("{SSF}stream-updated"): {"status": "paused", "reason": "maintenance"}}}),
    );
    good(
        "legacy-subject",
        "CAEP legacy form: no sub_id, the subject inside the event payload",
        json!({"sub_id": null, "events": {format!("{CAEP}session-revoked"): {"subject": {"format": "opaque", "id": "dMTlD|1600802906337.16|16008.16"}}}}),
    );
    good(
        "audience-array",
        "RFC 8417 §2.2: aud as an array containing this receiver",
        json!({"aud": ["https://other.example.com", AUD]}),
    );
    good(
        "unknown-event-and-format",
        "SSF §3.2 / RFC 8417: an event type and a subject format this receiver does not know are kept (not applied)",
        json!({"sub_id": {"format": "catalog_item", "catalog_id": "c0384/winter/2354122"},
               "events": {"https://schemas.openid.net/secevent/risc/event-type/account-disabled": {"reason": "hijacking"}}}),
    );
    good(
        "aliases-subject",
        "RFC 9493 §3.2.9: an aliases subject",
        json!({"sub_id": {"format": "aliases", "identifiers": [{"format": "email", "email": "user@example.com"},
                          {"format": "phone_number", "phone_number": "+12065550100"}]}}),
    );
    // Header-level refusals.
    let claims = base_claims(json!({}));
    let raw = |header: Value| {
        sign_raw(
            to_compact(&full_header(header, &transmitter())).as_bytes(),
            to_compact(&claims).as_bytes(),
            &transmitter(),
        )
    };
    let application = raw(json!({"typ": "Application/SECEVENT+JWT"}));
    cases.push(ok(
        "verify-set/typ-media-type",
        "RFC 8417 §2.3 / RFC 7515 §4.1.9: typ with the application/ prefix, any case",
        input(&application, config(json!({}))),
        info(&application, &claims, &claims["sub_id"]),
    ));
    let mut bad = |id: &str, title: &str, set: String, cfg: Value, code: &str| {
        cases.push(err(
            &format!("verify-set/{id}"),
            title,
            input(&set, cfg),
            code,
        ));
    };
    bad(
        "typ-missing",
        "SSF §4.1.1: typ is required",
        raw(json!({})),
        config(json!({})),
        "typ-mismatch",
    );
    bad(
        "typ-jwt",
        "RFC 8417 §2.3: a plain JWT is not a SET",
        raw(json!({"typ": "JWT"})),
        config(json!({})),
        "typ-mismatch",
    );
    bad(
        "typ-access-token",
        "RFC 8725 §3.11: an access token type is not a SET",
        raw(json!({"typ": "at+jwt"})),
        config(json!({})),
        "typ-mismatch",
    );
    let other = KeyPair::from_seed(Algorithm::Es256, &seed("ssf-other", 32))
        .unwrap()
        .with_kid("ssf-1");
    bad(
        "signature",
        "RFC 8417 §5: signed by a key that is not the transmitter's (same kid)",
        sign(json!({"typ": "secevent+jwt"}), &claims, &other),
        config(json!({})),
        "invalid-signature",
    );
    bad(
        "unknown-kid",
        "SSF §4.1: no transmitter key with this kid",
        sign(
            json!({"typ": "secevent+jwt"}),
            &claims,
            &other.clone().with_kid("rotated"),
        ),
        config(json!({})),
        "key-not-found",
    );
    bad(
        "alg-not-allowed",
        "RFC 8725 §3.1: the receiver accepts EdDSA only",
        signed_set(&claims),
        config(json!({"algorithms": ["EdDSA"]})),
        "alg-not-allowed",
    );
    bad(
        "alg-none",
        "RFC 8725 §3.1: alg none",
        format!(
            "{}.{}.",
            b64::encode(br#"{"alg":"none","typ":"secevent+jwt"}"#),
            b64::encode(to_compact(&claims).as_bytes())
        ),
        config(json!({})),
        "malformed-token",
    );
    let mut claim = |id: &str, title: &str, patch: Value, code: &str| {
        cases.push(err(
            &format!("verify-set/{id}"),
            title,
            input(&signed_set(&base_claims(patch)), config(json!({}))),
            code,
        ));
    };
    claim(
        "issuer",
        "SSF §4.1.4: iss is not the transmitter",
        json!({"iss": "https://evil.example.com"}),
        "claim-mismatch",
    );
    claim(
        "audience",
        "SSF §4.1.5: aud does not name this receiver",
        json!({"aud": "https://other.example.com"}),
        "claim-mismatch",
    );
    claim(
        "audience-missing",
        "SSF §4.1.5: aud is required",
        json!({"aud": null}),
        "claim-missing",
    );
    claim(
        "sub-present",
        "SSF §4.1.2: sub must not be present (use sub_id)",
        json!({"sub": "user-123"}),
        "claim-invalid",
    );
    claim(
        "exp-present",
        "SSF §4.1.7: exp must not be present",
        json!({"exp": NOW + 600}),
        "claim-invalid",
    );
    claim(
        "iat-missing",
        "RFC 8417 §2.2: iat is required",
        json!({"iat": null}),
        "claim-missing",
    );
    claim(
        "iat-future",
        "RFC 7519 §4.1.6: issued in the future beyond the leeway",
        json!({"iat": NOW + 3600}),
        "token-issued-in-future",
    );
    claim(
        "jti-missing",
        "RFC 8417 §2.2: jti is required",
        json!({"jti": null}),
        "claim-missing",
    );
    claim(
        "events-missing",
        "RFC 8417 §2.2: events is required",
        json!({"events": null}),
        "claim-missing",
    );
    claim(
        "events-empty",
        "RFC 8417 §2.2: events must hold an event",
        json!({"events": {}}),
        "claim-invalid",
    );
    claim(
        "event-not-object",
        "RFC 8417 §2.2: an event payload is a JSON object",
        json!({"events": {format!("{CAEP}session-revoked"): "revoked"}}),
        "claim-invalid",
    );
    claim(
        "sub-id-missing",
        "SSF §4.1.2: sub_id is required",
        json!({"sub_id": null}),
        "claim-missing",
    );
    claim(
        "sub-id-empty-member",
        "RFC 9493 §3: an email subject with an empty email",
        json!({"sub_id": {"format": "email", "email": ""}}),
        "claim-invalid",
    );
    claim(
        "sub-id-extra-member",
        "RFC 9493 §3: a member the format does not define",
        json!({"sub_id": {"format": "opaque", "id": "x", "email": "a@b"}}),
        "claim-invalid",
    );
    claim(
        "sub-id-nested-aliases",
        "RFC 9493 §3.2.9: aliases must not contain aliases",
        json!({"sub_id": {"format": "aliases", "identifiers": [{"format": "aliases", "identifiers": [{"format": "opaque", "id": "x"}]}]}}),
        "claim-invalid",
    );
    claim(
        "credential-change-type",
        "CAEP 1.0 §3.3: change_type outside create/revoke/update/delete",
        json!({"events": {format!("{CAEP}credential-change"): {"credential_type": "password", "change_type": "rotate"}}}),
        "claim-invalid",
    );
    claim(
        "credential-change-missing",
        "CAEP 1.0 §3.3: credential_type is required",
        json!({"events": {format!("{CAEP}credential-change"): {"change_type": "revoke"}}}),
        "claim-invalid",
    );
    claim(
        "claims-change-empty",
        "CAEP 1.0 §3.2: claims is required",
        json!({"events": {format!("{CAEP}token-claims-change"): {}}}),
        "claim-invalid",
    );
    claim(
        "assurance-namespace",
        "CAEP 1.0 §3.4: namespace is required",
        json!({"events": {format!("{CAEP}assurance-level-change"): {"current_level": "nist-aal1"}}}),
        "claim-invalid",
    );
    claim(
        "assurance-direction",
        "CAEP 1.0 §3.4: change_direction is increase or decrease",
        json!({"events": {format!("{CAEP}assurance-level-change"): {"namespace": "NIST-AAL", "current_level": "nist-aal1", "change_direction": "sideways"}}}),
        "claim-invalid",
    );
    claim(
        "device-status",
        "CAEP 1.0 §3.5: current_status is compliant or not-compliant",
        json!({"events": {format!("{CAEP}device-compliance-change"): {"previous_status": "compliant", "current_status": "unknown"}}}),
        "claim-invalid",
    );
    claim(
        "risk-level",
        "CAEP 1.0 §3.8: current_level is LOW, MEDIUM or HIGH",
        json!({"events": {format!("{CAEP}risk-level-change"): {"principal": "USER", "current_level": "CRITICAL"}}}),
        "claim-invalid",
    );
    claim(
        "initiating-entity",
        "CAEP 1.0 §2: initiating_entity is admin, user, policy or system",
        json!({"events": {format!("{CAEP}session-revoked"): {"initiating_entity": "robot"}}}),
        "claim-invalid",
    );
    claim(
        "event-timestamp",
        "CAEP 1.0 §2: event_timestamp is a number",
        json!({"events": {format!("{CAEP}session-revoked"): {"event_timestamp": "yesterday"}}}),
        "claim-invalid",
    );
    let device = signed_set(&base_claims(json!({"sub_id": {"format": "complex",
        "user": {"format": "opaque", "id": "u"}, "device": {"format": "opaque", "id": "d"}}})));
    cases.push(err(
        "verify-set/critical-member",
        "SSF §7.1 critical_subject_members: a subject member the receiver must process but cannot (device) discards the event",
        input(&device, config(json!({"critical_subject_members": ["device"]}))),
        "claim-invalid",
    ));
    cases
}

fn receiver_policy() -> String {
    to_compact(&json!({
        "resource": AUD,
        "authorities": ["https://tools.example.com"],
        "authorization_servers": [{"issuer": ISS, "jwks": {"keys": []}}],
        "events": {"transmitters": [{"issuer": SSF_ISS, "jwks": jwks(&[&transmitter()])}]},
        "credentials": {"bearer": true},
        "routes": [{"path": "/mcp", "prefix": true}],
    }))
}

fn applied(
    jti: &str,
    event: &str,
    effects: &[&str],
    subject: &Value,
    set: &str,
    duplicate: bool,
) -> Value {
    json!({"issuer": SSF_ISS, "jti": jti, "events": [event], "effects": if duplicate { vec![] } else { effects.to_vec() },
           "subject": subject, "state": null, "duplicate": duplicate, "dropped": 0,
           "token_hash": b64::encode(&sha256(set.as_bytes()))})
}

pub fn receive_cases() -> (Vec<Case>, Vec<Case>) {
    let secret = b64::encode(&seed("events-secret", 32));
    let user = json!({"format": "iss_sub", "iss": ISS, "sub": "user-123"});
    let revoked = caep_set("evt-push-1", &user, "session-revoked", &json!({}));
    let created = caep_set(
        "evt-push-2",
        &user,
        "credential-change",
        &json!({"credential_type": "fido2-platform", "change_type": "create"}),
    );
    let input = |body: &str, before: &[&str]| json!({"policy": receiver_policy(), "secret": secret, "now": NOW, "body": body, "before": before});
    let mut push = Vec::new();
    push.push(ok(
        "receive-push/taken",
        "RFC 8935 §2.2: a valid SET is taken: 202, no body",
        input(&revoked, &[]),
        json!({"status": 202, "body": null, "applied": applied("evt-push-1", "session-revoked", &["revoke"], &user, &revoked, false)}),
    ));
    push.push(ok(
        "receive-push/no-effect",
        "RFC 8935 §2.2: a SET without an effect (credential created) is taken too",
        input(&created, &[]),
        json!({"status": 202, "body": null, "applied": applied("evt-push-2", "credential-change", &[], &user, &created, false)}),
    ));
    push.push(ok(
        "receive-push/duplicate",
        "RFC 8935 §2 (retransmission): the same jti again is acknowledged with 202 and not applied twice",
        input(&revoked, &[&revoked]),
        json!({"status": 202, "body": null, "applied": applied("evt-push-1", "session-revoked", &["revoke"], &user, &revoked, true)}),
    ));
    let mut refused = |id: &str, title: &str, set: String, err: &str, description: &str| {
        push.push(ok(
            &format!("receive-push/{id}"),
            title,
            input(&set, &[]),
            json!({"status": 400, "applied": null,
                   "body": {"err": err, "description": description}}),
        ));
    };
    refused(
        "invalid-issuer",
        "RFC 8935 §2.4: a SET from a transmitter this receiver does not know: invalid_issuer",
        signed_set(&base_claims(json!({"iss": "https://evil.example.com"}))),
        "invalid_issuer",
        "claim `iss` does not match the expected value",
    );
    refused(
        "invalid-audience",
        "RFC 8935 §2.4: aud names another receiver: invalid_audience",
        signed_set(&base_claims(json!({"aud": "https://other.example.com"}))),
        "invalid_audience",
        "claim `aud` does not match the expected value",
    );
    let other = KeyPair::from_seed(Algorithm::Es256, &seed("ssf-other", 32))
        .unwrap()
        .with_kid("ssf-1");
    refused(
        "invalid-key",
        "RFC 8935 §2.4: the signature does not verify under the transmitter's key: invalid_key",
        sign(
            json!({"typ": "secevent+jwt"}),
            &base_claims(json!({})),
            &other,
        ),
        "invalid_key",
        "signature is invalid",
    );
    refused(
        "invalid-request",
        "RFC 8935 §2.4: not a SET at all: invalid_request",
        "not-a-token".into(),
        "invalid_request",
        "not a compact jws",
    );
    // Poll.
    let bad = signed_set(&base_claims(
        json!({"jti": "evt-bad", "aud": "https://other.example.com"}),
    ));
    let poll_input = |body: Value, max: u64| json!({"policy": receiver_policy(), "secret": secret, "now": NOW, "body": to_compact(&body), "max_events": max});
    let mut poll = Vec::new();
    poll.push(ok(
        "receive-poll/ack-and-errors",
        "RFC 8936 §2.4–2.5: SETs applied are acknowledged, refused ones reported in setErrs, moreAvailable passed on",
        poll_input(json!({"sets": {"evt-push-1": revoked, "evt-bad": bad}, "moreAvailable": true}), 10),
        json!({
            "next_request": to_compact(&json!({"ack": ["evt-push-1"], "maxEvents": 10, "returnImmediately": false,
                "setErrs": {"evt-bad": {"err": "invalid_audience", "description": "claim `aud` does not match the expected value"}}})),
            "applied": [applied("evt-push-1", "session-revoked", &["revoke"], &user, &revoked, false)],
            "refused": [{"jti": "evt-bad", "code": "claim-mismatch"}],
            "more_available": true,
        }),
    ));
    poll.push(ok(
        "receive-poll/empty",
        "RFC 8936 §2.5: no SETs pending: the next request acknowledges nothing",
        poll_input(json!({"sets": {}}), 25),
        json!({"next_request": to_compact(&json!({"maxEvents": 25, "returnImmediately": false})),
               "applied": [], "refused": [], "more_available": false}),
    ));
    poll.push(err(
        "receive-poll/not-a-response",
        "RFC 8936 §2.5: sets is required",
        poll_input(json!({"moreAvailable": false}), 10),
        "claim-missing",
    ));
    poll.push(err(
        "receive-poll/set-not-string",
        "RFC 8936 §2.5: each SET is a string",
        poll_input(json!({"sets": {"a": {"iss": "x"}}}), 10),
        "claim-invalid",
    ));
    (push, poll)
}

/// `audit.check-records`: records (JSON Lines) replayed against a policy.
pub fn check_records_cases() -> Vec<Case> {
    let policy = |routes: Value| {
        to_compact(&json!({
            "resource": AUD,
            "authorities": ["https://tools.example.com"],
            "trust_domains": {"example.org": {"keys": []}},
            "authorization_servers": [{"issuer": ISS, "jwks": {"keys": []}}],
            "credentials": {"wpt": {"wire": "wpt-02"}, "dpop": {"algorithms": ["ES256"]}},
            "routes": routes,
        }))
    };
    let record = |patch: Value| {
        to_compact(&patched(
            &json!({"v": 1, "time": NOW, "decision": "allow", "status": null, "error": null, "method": "POST",
                    "origin": "https://tools.example.com", "path": "/mcp/tools/call", "route": "/mcp",
                    "credentials": ["wpt", "dpop"], "agent": "spiffe://example.org/ns/prod/sa/api",
                    "wit_issuer_key": "k1", "user": "user-123", "client_id": "agent-client", "issuer": ISS,
                    "token_issuer_key": "k2", "actors": [], "scopes": ["tools:call"],
                    "authorization_details_types": [], "acr": "urn:example:mfa", "auth_time": NOW - 100,
                    "txn": null, "token_hashes": [{"kind": "wit", "sha256": "h1"}], "event": null, "pdp_decision": null}),
            patch,
        ))
    };
    let records = [
        record(json!({})),
        record(json!({"path": "/admin"})),
        record(json!({"agent": "spiffe://example.org/ns/dev/sa/api"})),
        record(json!({"decision": "deny", "status": 403, "error": "agent-not-allowed", "credentials": ["wpt"],
                      "agent": "spiffe://example.org/ns/dev/sa/api", "user": null, "scopes": []})),
        record(json!({"decision": "deny", "status": 401, "error": "credential-revoked",
                      "event": {"type": "session-revoked", "jti": "e1", "iss": "https://ssf.example.com"}})),
        "{not json".to_owned(),
        record(json!({"scopes": ["openid"]})),
        record(json!({"actors": ["spiffe://example.org/ns/prod/sa/planner", "spiffe://example.org/ns/prod/sa/a"]})),
    ]
    .join("\n");
    let routes = json!([{"path": "/mcp", "prefix": true, "agents": ["spiffe://example.org/ns/prod/*"],
                         "scopes": ["tools:call"], "max_delegation_depth": 1}]);
    let loose = json!([{"path": "/mcp", "prefix": true}]);
    let finding = |line: usize,
                   recorded: &str,
                   recorded_error: Value,
                   now: &str,
                   error: Value,
                   reason: &str| {
        json!({"line": line, "recorded": recorded, "recorded_error": recorded_error, "now": now, "error": error, "reason": reason})
    };
    vec![
        ok(
            "check-records/findings",
            "generated: allowed records the policy now denies (no route, agent outside the allow-list, missing scope, delegation too deep); a malformed line; a credential-dependent denial not re-evaluated",
            json!({"policy": policy(routes), "records": records}),
            json!({"records": 7, "checked": 6, "not_reevaluated": 1,
            "malformed": [{"line": 6, "code": "malformed-json"}],
            "findings": [
                finding(2, "allow", Value::Null, "deny", json!("no-matching-route"), "no route covers POST /admin"),
                finding(3, "allow", Value::Null, "deny", json!("agent-not-allowed"), "route /mcp does not allow agent spiffe://example.org/ns/dev/sa/api"),
                finding(7, "allow", Value::Null, "deny", json!("insufficient-scope"), "route /mcp requires scopes [\"tools:call\"] and authorization_details types []"),
                finding(8, "allow", Value::Null, "deny", json!("delegation-not-allowed"), "route /mcp does not allow the delegation chain [\"spiffe://example.org/ns/prod/sa/planner\", \"spiffe://example.org/ns/prod/sa/a\"]"),
            ]}),
        ),
        ok(
            "check-records/loosened",
            "generated: under a looser policy the agent denial no longer holds and is reported",
            json!({"policy": policy(loose), "records": records}),
            json!({"records": 7, "checked": 6, "not_reevaluated": 1,
            "malformed": [{"line": 6, "code": "malformed-json"}],
            "findings": [
                finding(2, "allow", Value::Null, "deny", json!("no-matching-route"), "no route covers POST /admin"),
                finding(4, "deny", json!("agent-not-allowed"), "allow", Value::Null, "the policy no longer denies this with agent-not-allowed"),
            ]}),
        ),
        err(
            "check-records/bad-policy",
            "generated: the policy document is refused",
            json!({"policy": "{}", "records": ""}),
            "invalid-argument",
        ),
    ]
}
