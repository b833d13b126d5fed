//! `make demo`: a short walkthrough of the core as it stands — make a key, sign a token, verify
//! it, and watch the verifier reject what it must, each rejection with its stable code.
//!
//! Everything is local and deterministic: the seed and the clock are fixed inputs, as they are
//! for every caller of this sans-IO core.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]
// Fixed demo inputs: indexing a parsed claims object and adding seconds to a fixed time cannot fail.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use a2a_auth::crypto::{Algorithm, AlgorithmSet, JwkSet, KeyPair};
use a2a_auth::encoding::base64url;
use a2a_auth::jose::{JwtValidation, sign_jws, verify_jwt};
use a2a_auth::{Error, UnixTime};
use serde_json::{Map, json};

const NOW: UnixTime = UnixTime(1_767_225_600); // 2026-01-01T00:00:00Z, passed in, never read

fn main() -> Result<(), Error> {
    println!("a2a-auth demo: the JOSE core (sans-IO: time and randomness are inputs)\n");

    // 1. A key pair from seed bytes. A real host draws them from its CSPRNG (crypto.getRandomValues,
    //    os.urandom, getrandom); the core never does.
    let seed = [0x5a; 32];
    let server = KeyPair::from_seed(Algorithm::Es256, &seed)?.with_kid("as-2026-01");
    println!("1. authorization server key   ES256, kid as-2026-01");
    println!(
        "   RFC 7638 thumbprint         {}",
        server.public_jwk().thumbprint()
    );

    // 2. An RFC 9068-shaped access token for agent "planner", calling the tools API.
    let claims = json!({
        "iss": "https://as.example.com", "sub": "agent:planner", "client_id": "planner",
        "aud": "https://tools.example.com/mcp", "scope": "tools:read",
        "iat": NOW.as_secs(), "exp": NOW.as_secs() + 600, "jti": "demo-1"
    });
    let mut header = Map::new();
    header.insert("typ".into(), "at+jwt".into());
    let token = sign_jws(&header, claims.to_string().as_bytes(), &server)?;
    println!(
        "2. signed an at+jwt           {} bytes, header {}",
        token.len(),
        decode_segment(&token, 0)
    );

    // 3. The resource server verifies with the keys it fetched (here: passed in directly).
    let keys = JwkSet::from_keys(vec![server.public_jwk().clone()]);
    let rules = JwtValidation::new(AlgorithmSet::ASYMMETRIC, Some("at+jwt"))
        .with_issuer("https://as.example.com")
        .with_audience("https://tools.example.com/mcp")
        .with_required(["sub", "client_id", "iat", "jti"]);
    let jwt = verify_jwt(&token, &keys, &rules, NOW)?;
    println!(
        "3. verified                   sub={} scope={:?} key={}",
        jwt.claims["sub"].as_str().unwrap_or_default(),
        jwt.claims["scope"].as_str().unwrap_or_default(),
        jwt.key.kid().unwrap_or_default()
    );

    // 4. What it rejects, and how it says so.
    println!("4. rejections (each one check, each one stable code):");
    let later = UnixTime(NOW.as_secs() + 3600);
    show("an hour later", verify_jwt(&token, &keys, &rules, later));

    let mut parts: Vec<&str> = token.split('.').collect();
    let forged = base64url::encode(
        claims
            .to_string()
            .replace("tools:read", "tools:admin")
            .as_bytes(),
    );
    parts[1] = &forged;
    show(
        "scope edited after signing",
        verify_jwt(&parts.join("."), &keys, &rules, NOW),
    );

    let unsigned = format!(
        "{}.{}.AA",
        base64url::encode(br#"{"alg":"none","typ":"at+jwt"}"#),
        forged
    );
    show("alg none", verify_jwt(&unsigned, &keys, &rules, NOW));

    let mut plain = Map::new();
    plain.insert("typ".into(), "JWT".into());
    let untyped = sign_jws(&plain, claims.to_string().as_bytes(), &server)?;
    show(
        "typ JWT instead of at+jwt",
        verify_jwt(&untyped, &keys, &rules, NOW),
    );

    // The classic key-confusion attack: HMAC keyed with the server's public key.
    let public_json = server.public_jwk().to_json();
    let attacker =
        KeyPair::from_seed(Algorithm::Hs256, public_json.as_bytes())?.with_kid("as-2026-01");
    let confused = sign_jws(&header, claims.to_string().as_bytes(), &attacker)?;
    let lax = JwtValidation {
        algorithms: AlgorithmSet::ASYMMETRIC.with(Algorithm::Hs256),
        ..rules.clone()
    };
    show(
        "HS256 keyed with the public key",
        verify_jwt(&confused, &keys, &lax, NOW),
    );

    let other = JwtValidation {
        audience: Some("https://billing.example.com".into()),
        ..rules
    };
    show(
        "token for another audience",
        verify_jwt(&token, &keys, &other, NOW),
    );

    println!(
        "\nNo token text or key material appears in any error; codes are the same in every host."
    );
    Ok(())
}

fn decode_segment(token: &str, i: usize) -> String {
    let seg = token.split('.').nth(i).unwrap_or_default();
    String::from_utf8(base64url::decode(seg).unwrap_or_default()).unwrap_or_default()
}

fn show<T>(what: &str, result: Result<T, Error>) {
    match result {
        Ok(_) => println!("   {what:<32} ACCEPTED (unexpected)"),
        Err(e) => println!("   {what:<32} -> {:<20} ({e})", e.code()),
    }
}
