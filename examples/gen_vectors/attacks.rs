//! The generated part of the attack suite (specs/wimse-spiffe.md §7, RFC 8725 §3): every token
//! verifier meets the same forgeries of one of its own valid cases. Each forgery changes one
//! thing and is re-signed with the key that signed the original, so it fails one check only:
//!
//! - `attack-typ-<kind>`: the `typ` of every other token kind (§7.C6, RFC 8725 §3.11–3.12);
//! - `attack-alg-<casing>`: `alg` "none" in one of its sixteen casings, signature kept (§7.C1);
//! - `attack-hs256-public-key`: HS256 keyed with the issuer's public JWK text (RFC 8725 §2.1);
//! - `attack-jwk-header`: an attacker's key signs and rides along as `jwk`, `kid` unchanged
//!   (§7.B2);
//! - `attack-oversized`: a padding claim pushes the token past `max_token_bytes` (§7.C7);
//! - `attack-json-depth`: a claim nested past `max_json_depth` (a JSON bomb).
//!
//! vectors/ATTACKS.md maps every checklist item to its vector ids; a test checks the map.

use super::*;

/// Token kinds by the `typ` they carry.
const KINDS: [(&str, &str); 9] = [
    ("wit", "wit+jwt"),
    ("wpt", "wpt+jwt"),
    ("jwt-svid", "JWT"),
    ("access-token", "at+jwt"),
    ("dpop", "dpop+jwt"),
    ("txn-token", "txntoken+jwt"),
    ("set", "secevent+jwt"),
    ("introspection", "token-introspection+jwt"),
    ("attestation-pop", "oauth-client-attestation-pop+jwt"),
];

/// One verifier op and the valid case the forgeries start from.
pub struct Target {
    /// Case id prefix, e.g. `verify-wit`.
    pub prefix: &'static str,
    /// Id of a valid (`ok`) case of that op.
    pub base: &'static str,
    /// The kind the op verifies (an entry of `KINDS`).
    pub kind: &'static str,
    /// Where the token sits in the case's input.
    pub token: fn(&Value) -> String,
}

/// The token in input member `name`.
pub fn member(input: &Value, name: &str) -> String {
    input[name].as_str().unwrap().to_owned()
}

/// The value of request header `name` (exactly one expected).
pub fn header(input: &Value, name: &str) -> String {
    let values: Vec<&str> = input["request"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h[0].as_str().unwrap().eq_ignore_ascii_case(name))
        .map(|h| h[1].as_str().unwrap())
        .collect();
    assert_eq!(values.len(), 1, "one {name} header");
    values[0].to_owned()
}

/// Every private key the generator signs with, to find the one behind a token.
fn key_registry() -> Vec<KeyPair> {
    let mut keys = Vec::new();
    for label in [
        "es256-1",
        "es256-2",
        "tts-1",
        "tts-other",
        "ssf-1",
        "ssf-other",
        "dpop-1",
        "dpop-2",
        "card-other",
        "attester-k8s",
        "attester-impostor",
    ] {
        keys.push(KeyPair::from_seed(Algorithm::Es256, &seed(label, 32)).unwrap());
    }
    keys.push(KeyPair::from_seed(Algorithm::Es384, &seed("es384-1", 48)).unwrap());
    keys.push(KeyPair::from_seed(Algorithm::Ed25519, &seed("ed25519-1", 32)).unwrap());
    for jwk in [proof::WORKLOAD_JWK, httpsig::SVC_A, httpsig::SVC_B] {
        keys.push(KeyPair::from_jwk(jwk, None, &a2a_auth::Limits::DEFAULT).unwrap());
    }
    keys
}

/// The registry key whose (deterministic) signature over the token's signing input is the
/// token's signature.
fn signer_of<'k>(token: &str, registry: &'k [KeyPair]) -> &'k KeyPair {
    let input = format!("{}.{}", segment(token, 0), segment(token, 1));
    let sig = b64::decode(segment(token, 2)).unwrap();
    registry
        .iter()
        .find(|k| k.sign(input.as_bytes()).ok().as_deref() == Some(sig.as_slice()))
        .unwrap_or_else(|| panic!("no registry key signed the base token"))
}

/// Replaces every occurrence of `old` inside the strings of `v` (JSON configs included).
fn replace_everywhere(v: &Value, old: &str, new: &str) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace(old, new)),
        Value::Array(a) => {
            Value::Array(a.iter().map(|x| replace_everywhere(x, old, new)).collect())
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), replace_everywhere(x, old, new)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn header_of(token: &str) -> Map<String, Value> {
    obj(serde_json::from_slice(&b64::decode(segment(token, 0)).unwrap()).unwrap())
}

fn payload_of(token: &str) -> Value {
    serde_json::from_slice(&b64::decode(segment(token, 1)).unwrap()).unwrap()
}

/// The sixteen casings of "none", by bit pattern (bit i uppercases letter i).
pub fn none_casing(i: usize) -> String {
    "none"
        .chars()
        .enumerate()
        .map(|(bit, c)| {
            if i & (1 << bit) != 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// The forgeries of `target`'s base case, appended to `cases` (which must hold the base).
pub fn token_attacks(cases: &[Case], target: &Target, none_variant: usize) -> Vec<Case> {
    let registry = key_registry();
    let base = cases
        .iter()
        .find(|c| c.id == target.base)
        .unwrap_or_else(|| panic!("base case {} missing", target.base));
    assert!(
        base.expect.get("ok").is_some(),
        "{} is not valid",
        target.base
    );
    let token = (target.token)(&base.input);
    let key = signer_of(&token, &registry);
    let header = header_of(&token);
    let payload = segment(&token, 1).to_owned();
    let own_typ = KINDS.iter().find(|(k, _)| *k == target.kind).unwrap().1;
    let resign = |h: &Map<String, Value>, payload: &str, key: &KeyPair| {
        let input = format!(
            "{}.{payload}",
            b64::encode(to_compact(&Value::Object(h.clone())).as_bytes())
        );
        format!(
            "{input}.{}",
            b64::encode(&key.sign(input.as_bytes()).unwrap())
        )
    };
    let mut out = Vec::new();
    let mut push = |id: &str, title: String, forged: String, code: &str| {
        assert_ne!(forged, token);
        out.push(err(
            &format!("{}/attack-{id}", target.prefix),
            &title,
            replace_everywhere(&base.input, &token, &forged),
            code,
        ));
    };
    let from = format!("{} re-signed", target.base);
    for (kind, typ) in KINDS {
        if kind == target.kind {
            continue;
        }
        let mut h = header.clone();
        h.insert("typ".into(), typ.into());
        push(
            &format!("typ-{kind}"),
            format!(
                "attack §7.C6 / RFC 8725 §3.11: a {kind} (typ {typ}) where a {} ({own_typ}) belongs: {from} with typ {typ}",
                target.kind
            ),
            resign(&h, &payload, key),
            "typ-mismatch",
        );
    }
    let none = none_casing(none_variant);
    let mut h = header.clone();
    h.insert("alg".into(), none.clone().into());
    push(
        &format!("alg-{none}"),
        format!(
            "attack §7.C1 / RFC 8725 §3.1: alg \"{none}\" with the original signature kept ({})",
            target.base
        ),
        format!(
            "{}.{payload}.{}",
            b64::encode(to_compact(&Value::Object(h)).as_bytes()),
            segment(&token, 2)
        ),
        "alg-not-allowed",
    );
    let secret = to_compact(&public(key));
    let hmac = KeyPair::from_seed(Algorithm::Hs256, secret.as_bytes()).unwrap();
    let mut h = header.clone();
    h.insert("alg".into(), "HS256".into());
    push(
        "hs256-public-key",
        format!(
            "attack RFC 8725 §2.1 / §7.C1: HS256 keyed with the issuer's public JWK text ({from})"
        ),
        resign(&h, &payload, &hmac),
        "alg-not-allowed",
    );
    if target.kind != "dpop" {
        let attacker = match key.alg() {
            Algorithm::Es256 => KeyPair::from_seed(Algorithm::Es256, &seed("attacker-es256", 32)),
            Algorithm::Ed25519 | Algorithm::EdDsa => {
                KeyPair::from_seed(key.alg(), &seed("attacker-ed25519", 32))
            }
            other => panic!("no attacker key for {other:?}"),
        }
        .unwrap();
        let mut h = header.clone();
        h.insert("jwk".into(), public(&attacker));
        // JWT-SVID headers hold alg, kid and typ only (SPIFFE JWT-SVID §2): the extra member
        // is refused before any key is looked at.
        let code = if target.kind == "jwt-svid" {
            "malformed-token"
        } else {
            "invalid-signature"
        };
        push(
            "jwk-header",
            format!(
                "attack §7.B2 / RFC 8725 §3.10: signed by an attacker whose key rides along as jwk ({from})"
            ),
            resign(&h, &payload, &attacker),
            code,
        );
    }
    let mut padded = payload_of(&token);
    padded["pad"] = json!("A".repeat(17 * 1024));
    push(
        "oversized",
        format!(
            "attack §7.C7: a validly signed token past max_token_bytes (16384) ({from} with a padding claim)"
        ),
        resign(&header, &b64::encode(to_compact(&padded).as_bytes()), key),
        "limit-exceeded",
    );
    let mut deep = payload_of(&token);
    let mut bomb = json!(1);
    for _ in 0..20 {
        bomb = json!([bomb]);
    }
    deep["nest"] = bomb;
    push(
        "json-depth",
        format!(
            "attack RFC 8725 / §7.C7: a validly signed token whose claims nest past max_json_depth (16) ({from})"
        ),
        resign(&header, &b64::encode(to_compact(&deep).as_bytes()), key),
        "limit-exceeded",
    );
    out
}
