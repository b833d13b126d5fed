//! Vectors for `proof.*`: WPT (specs §3, §6.3–6.6, §7.E), DPoP (RFC 9449, oauth.md §1), the
//! replay cache, challenges and URI normalisation.

use super::*;

const WIT_PRIME: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6Ikp1bmUgNSIsInR5cCI6IndpdCtqd3QifQ.eyJjbmYiOnsiandrIjp7ImFsZyI6IkVkRFNBIiwiY3J2IjoiRWQyNTUxOSIsImt0eSI6Ik9LUCIsIngiOiIxQ1hYdmZsTl9MVlZzSXNZWHNVdkIwM0ptbEdXZUNIcVFWdW91Q0Y5MmJnIn19LCJleHAiOjE3NDU1MTI1MTAsImlhdCI6MTc0NTUwODkxMCwianRpIjoieC1fMUNUTDJjY2EzQ1NFNGN3Yl9sIiwic3ViIjoid2ltc2U6Ly9leGFtcGxlLmNvbS9zcGVjaWZpYy13b3JrbG9hZCJ9.lRMvg6aDnk4ua2tI427zRw8fUKK8S9AOP7nWn20uo2XQx4JlTDOlXn-tXffvz5tEZuKH46QRJcPKxCs-mgzebw";
const SPEC_WPT: &str = "eyJhbGciOiJFZERTQSIsInR5cCI6IndwdCtqd3QifQ.eyJhdGgiOiJDTDR3amZwUm1OZi1iZFlJYllMblY5ZDVyTUFSR3dLWUUxMHdVd3pDMGpJIiwiYXVkIjoiaHR0cHM6Ly93b3JrbG9hZC5leGFtcGxlLmNvbS9wYXRoIiwiZXhwIjoxNzQ1NTEwMDE2LCJqdGkiOiJfX2J3YzRFU0MzYWNjMkxUQzEtX3giLCJ3dGgiOiJBYVlVZkMzNEQxZGkyRnhRTHBpSUpKN1NnOFZaNm84T0Nkd1NmOUlUb0xnIn0.PI7d9AcYhLoEgPgbJvcM132lkBKnM1NXU-5hZUzVTIyj2dRJaTLFs6e5NYv5gg6AqcV7NvkYCwfgMgWasWQzCA";
const SPEC_WPT_OTH: &str = "eyJhbGciOiJFZERTQSIsInR5cCI6IndwdCtqd3QifQ.eyJhdGgiOiJDTDR3amZwUm1OZi1iZFlJYllMblY5ZDVyTUFSR3dLWUUxMHdVd3pDMGpJIiwiYXVkIjoiaHR0cHM6Ly93b3JrbG9hZC5leGFtcGxlLmNvbS9wYXRoIiwiZXhwIjoxNzQ1NTEwMDE2LCJqdGkiOiJDYjFmQ2EzY0ZFU0NfeC0yNENMVEwiLCJvdGgiOnsieC1jdXN0b20tdG9rZW4iOiJ4LVV5NkNoX3huM0FiVVZLRGpQTVFRdWd0Y24yZXJMV3JrdlZXQW1LbDFrIn0sInd0aCI6IjFWNGhQQ1ZEbWI2M2dQc1BEVDEwZGtnRWVkdlNfTXZrT19DQnQwSHV5ak0ifQ.DLKlhONV8XpR96t39CnD-kUgVTaN5UHXZM8iC6CvqvCwbMDIrAwD861DC1e3AStZ4v32x6waN97m2g29HuSVBw";
const WPT_02: &str = "eyJhbGciOiJFZERTQSIsInR5cCI6IndwdCtqd3QifQ.eyJhdWQiOiJodHRwczovL3dvcmtsb2FkLmV4YW1wbGUuY29tL3BhdGgiLCJleHAiOjE3NDU1MTAwMTYsImp0aSI6Il9fYndjNEVTQzNhY2MyTFRDMS1feCIsInd0aCI6IkFhWVVmQzM0RDFkaTJGeFFMcGlJSko3U2c4Vlo2bzhPQ2R3U2Y5SVRvTGcifQ.zR_aqP5ofStQP18GaRjhd88P7-_jvvvLX5Gb1fACehieR063WUeZ7fZUOmm43_4gvUYpEM9ZEushVDFaah64Dw";
const SPEC_AT: &str = "16_mAd0GiwaZokU26_0902100";
pub(crate) const WORKLOAD_JWK: &str = r#"{"kty":"OKP","crv":"Ed25519","x":"1CXXvflN_LVVsIsYXsUvB03JmlGWeCHqQVuouCF92bg","d":"sdLX8yCYKqo_XvGBLn-ZWeKT7llYeeQpgeCaXVxb5kY"}"#;
const WPT_NOW: u64 = 1_745_509_800;
const AUD: &str = "https://workload.example.com/path";

fn workload_key(alg: Algorithm) -> KeyPair {
    KeyPair::from_jwk(WORKLOAD_JWK, Some(alg), &a2a_auth::Limits::DEFAULT).unwrap()
}

fn private(kp: &KeyPair) -> Value {
    serde_json::from_str(&kp.to_private_jwk_json()).unwrap()
}

fn headers(pairs: &[(&str, &str)]) -> Value {
    Value::Array(pairs.iter().map(|(n, v)| json!([n, v])).collect())
}

fn request(method: &str, target: &str, pairs: &[(&str, &str)]) -> Value {
    json!({"method": method, "target": target, "headers": headers(pairs)})
}

fn wpt_store() -> String {
    to_compact(&json!({"trust_domains": {"wimse://example.com": {"keys": [
        {"use": "wit-svid", "kty": "EC", "kid": "June 5", "crv": "P-256", "x": "kXqnA2Op7hgd4zRMbw0iFcc_hDxUxhojxOFVGjE2gks", "y": "n__VndPMR021-59UAs0b9qDTFT-EZtT6xSNs_xFskLo"}]}}}))
}

/// A WPT over `wit` signed by the §6.1 workload key with claims patched.
fn wpt(wit: &str, patch: Value, header: Value, key: &KeyPair) -> String {
    let claims = patched(
        &json!({"aud": AUD, "exp": 1_745_510_016u64, "jti": "gen-1", "wth": b64::encode(&sha256(wit.as_bytes()))}),
        patch,
    );
    sign(header, &claims, key)
}

pub fn create_wpt_cases() -> Vec<Case> {
    let key = private(&workload_key(Algorithm::EdDsa));
    let input = |wit: &str,
                 aud: &str,
                 now: u64,
                 lifetime: u64,
                 jti: &str,
                 at: Option<&str>,
                 others: Value,
                 key: &Value| {
        json!({"key": key, "wit": wit, "audience": aud, "now": now, "lifetime": lifetime, "jti": jti, "access_token": at, "other_tokens": others})
    };
    let bad = |id: &str, title: &str, i: Value, code: &str| {
        err(&format!("create-wpt/{id}"), title, i, code)
    };
    let es256 = private(&KeyPair::from_seed(Algorithm::Es256, &seed("es256-1", 32)).unwrap());
    let txn = "eyJhbGciOiJub25lIn0.txn.token";
    let with_tth = {
        let claims = json!({"aud": AUD, "exp": WPT_NOW + 60, "jti": "t-1", "tth": b64::encode(&sha256(txn.as_bytes())), "wth": b64::encode(&sha256(SPEC_WIT.as_bytes()))});
        sign(
            json!({"typ": "wpt+jwt"}),
            &claims,
            &workload_key(Algorithm::EdDsa),
        )
    };
    vec![
        ok(
            "create-wpt/spec-6.3",
            "specs §6.3 (wpt-01 example): EdDSA, ath over the bearer token, wth over the §6.2 WIT; byte-exact",
            input(
                SPEC_WIT,
                AUD,
                1_745_510_016 - 300,
                300,
                "__bwc4ESC3acc2LTC1-_x",
                Some(SPEC_AT),
                json!([]),
                &key,
            ),
            json!({"token": SPEC_WPT}),
        ),
        ok(
            "create-wpt/spec-6.4-oth",
            "specs §6.4: oth over X-Custom-Token (name lowercased), wth over WIT′; byte-exact",
            input(
                WIT_PRIME,
                AUD,
                1_745_510_016 - 300,
                300,
                "Cb1fCa3cFESC_x-24CLTL",
                Some(SPEC_AT),
                json!([["X-Custom-Token", "some-example-other-token"]]),
                &key,
            ),
            json!({"token": SPEC_WPT_OTH}),
        ),
        ok(
            "create-wpt/wpt-02-no-ath",
            "specs §6.6(a): the wpt-02 form carries no ath; query and fragment leave aud",
            input(
                SPEC_WIT,
                "https://workload.example.com/path?flavor=vanilla#top",
                1_745_510_016 - 300,
                300,
                "__bwc4ESC3acc2LTC1-_x",
                None,
                json!([]),
                &key,
            ),
            json!({"token": WPT_02}),
        ),
        ok(
            "create-wpt/txn-token",
            "§3.1: tth binds a Txn-Token sent along",
            json!({"key": key, "wit": SPEC_WIT, "audience": AUD, "now": WPT_NOW, "lifetime": 60, "jti": "t-1", "txn_token": txn, "other_tokens": []}),
            json!({"token": with_tth}),
        ),
        bad(
            "key-alg-not-cnf-alg",
            "§3.1: alg must equal the WIT's cnf.jwk.alg (an ES256 key for an EdDSA WIT)",
            input(SPEC_WIT, AUD, WPT_NOW, 60, "j", None, json!([]), &es256),
            "invalid-argument",
        ),
        bad(
            "ed25519-name-for-eddsa-wit",
            "§3.3 step 4 is a string compare: Ed25519 is not EdDSA",
            input(
                SPEC_WIT,
                AUD,
                WPT_NOW,
                60,
                "j",
                None,
                json!([]),
                &private(&workload_key(Algorithm::Ed25519)),
            ),
            "invalid-argument",
        ),
        bad(
            "lifetime-zero",
            "exp must be after now",
            input(SPEC_WIT, AUD, WPT_NOW, 0, "j", None, json!([]), &key),
            "invalid-argument",
        ),
        bad(
            "lifetime-too-long",
            "§3.1: exp is short (at most 300 s)",
            input(SPEC_WIT, AUD, WPT_NOW, 301, "j", None, json!([]), &key),
            "invalid-argument",
        ),
        bad(
            "jti-empty",
            "§3.1: jti is required",
            input(SPEC_WIT, AUD, WPT_NOW, 60, "", None, json!([]), &key),
            "invalid-argument",
        ),
        bad(
            "wit-not-a-jws",
            "the WIT must be a compact JWS with cnf.jwk.alg",
            input("not-a-wit", AUD, WPT_NOW, 60, "j", None, json!([]), &key),
            "invalid-argument",
        ),
        bad(
            "other-token-repeated",
            "§3.1: repeated header fields are not supported in oth",
            input(
                SPEC_WIT,
                AUD,
                WPT_NOW,
                60,
                "j",
                None,
                json!([["X-A", "1"], ["x-a", "2"]]),
                &key,
            ),
            "invalid-argument",
        ),
    ]
}

pub fn verify_wpt_cases(k: &Keys) -> Vec<Case> {
    let store = wpt_store();
    let cfg01 = json!({"wire": "wpt-01", "authorities": ["https://workload.example.com"]});
    let cfg02 = json!({"wire": "wpt-02", "authorities": ["https://workload.example.com"]});
    let input = |req: Value, cfg: &Value, now: u64| json!({"request": req, "trust_store": store, "config": to_compact(cfg), "now": now});
    let spec_req = |extra: &[(&str, &str)]| {
        let mut h = vec![
            ("Host", "workload.example.com"),
            ("Content-Type", "application/json"),
            ("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"),
            ("Workload-Identity-Token", SPEC_WIT),
            ("Workload-Proof-Token", SPEC_WPT),
        ];
        h.extend_from_slice(extra);
        request("POST", "/path", &h)
    };
    let req = |pairs: &[(&str, &str)]| request("POST", "/path", pairs);
    let expect = |jti: &str, bound: Value| {
        json!({
            "subject": "wimse://example.com/specific-workload", "trust_domain": "example.com", "audience": AUD, "jti": jti,
            "expires_at": 1_745_510_016u64, "proof_alg": "EdDSA", "cnf_thumbprint": "sWptYalQwqq7mvswEtvcpHYbrI-lqgVH7SdfkHinUzI", "bound": bound,
        })
    };
    let bad = |id: &str, title: &str, i: Value, code: &str| {
        err(&format!("verify-wpt/{id}"), title, i, code)
    };
    let wk = workload_key(Algorithm::EdDsa);
    let hdr = json!({"typ": "wpt+jwt"});
    let mk = |patch: Value| wpt(SPEC_WIT, patch, hdr.clone(), &wk);
    let wit_wpt = |wpt: &str| {
        req(&[
            ("Workload-Identity-Token", SPEC_WIT),
            ("Workload-Proof-Token", wpt),
        ])
    };
    let txn = "txn.token.value";
    let tth = b64::encode(&sha256(txn.as_bytes()));
    let other_key = KeyPair::from_seed(Algorithm::EdDsa, &seed("ed25519-1", 32)).unwrap();
    let mut cases = vec![
        ok(
            "verify-wpt/spec-6.3",
            "specs §6.3/§6.2: the wpt-01 example request (WIT, WPT, bearer token bound by ath)",
            input(spec_req(&[]), &cfg01, WPT_NOW),
            expect("__bwc4ESC3acc2LTC1-_x", json!(["ath"])),
        ),
        ok(
            "verify-wpt/spec-6.4-oth",
            "specs §6.4: oth over X-Custom-Token, WIT′ (same claims, new ES256 signature)",
            input(
                req(&[
                    ("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"),
                    ("Workload-Identity-Token", WIT_PRIME),
                    ("Workload-Proof-Token", SPEC_WPT_OTH),
                    ("X-Custom-Token", "some-example-other-token"),
                ]),
                &json!({"wire": "wpt-01", "authorities": ["https://workload.example.com"], "understood_oth": ["X-Custom-Token"]}),
                WPT_NOW,
            ),
            expect(
                "Cb1fCa3cFESC_x-24CLTL",
                json!(["ath", "oth:x-custom-token"]),
            ),
        ),
        ok(
            "verify-wpt/spec-6.6a-wpt-02",
            "specs §6.6(a): wpt-02, Authorization: WPT <jwt>, no ath",
            input(
                req(&[
                    ("Workload-Identity-Token", SPEC_WIT),
                    ("Authorization", &format!("WPT {WPT_02}")),
                ]),
                &cfg02,
                WPT_NOW,
            ),
            expect("__bwc4ESC3acc2LTC1-_x", json!([])),
        ),
        ok(
            "verify-wpt/scheme-and-names-case-insensitive",
            "RFC 9110: field names and the auth scheme compare case-insensitively",
            input(
                req(&[
                    ("workload-identity-token", SPEC_WIT),
                    ("AUTHORIZATION", &format!("wpt {WPT_02}")),
                ]),
                &cfg02,
                WPT_NOW,
            ),
            expect("__bwc4ESC3acc2LTC1-_x", json!([])),
        ),
        ok(
            "verify-wpt/host-rewritten",
            "specs N17 / §3.3 step 7: Host is never consulted; aud comes from configuration",
            input(
                spec_req(&[("X-Forwarded-Host", "attacker.example")]).pipe(|mut r| {
                    r["headers"][0][1] = json!("attacker.example");
                    r
                }),
                &cfg01,
                WPT_NOW,
            ),
            expect("__bwc4ESC3acc2LTC1-_x", json!(["ath"])),
        ),
        ok(
            "verify-wpt/query-ignored",
            "§3.1: aud is the target URI without its query",
            input(
                request(
                    "POST",
                    "/path?flavor=vanilla",
                    &[
                        ("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"),
                        ("Workload-Identity-Token", SPEC_WIT),
                        ("Workload-Proof-Token", SPEC_WPT),
                    ],
                ),
                &cfg01,
                WPT_NOW,
            ),
            expect("__bwc4ESC3acc2LTC1-_x", json!(["ath"])),
        ),
        ok(
            "verify-wpt/audience-alias",
            "§3.1: a configured alias for proxies that rewrite the URI",
            input(
                request(
                    "POST",
                    "/rewritten",
                    &[
                        ("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"),
                        ("Workload-Identity-Token", SPEC_WIT),
                        ("Workload-Proof-Token", SPEC_WPT),
                    ],
                ),
                &json!({"wire": "wpt-01", "authorities": [], "audience_aliases": [AUD]}),
                WPT_NOW,
            ),
            expect("__bwc4ESC3acc2LTC1-_x", json!(["ath"])),
        ),
        ok(
            "verify-wpt/txn-token-bound",
            "§3.1: tth binds the Txn-Token",
            input(
                req(&[
                    ("Workload-Identity-Token", SPEC_WIT),
                    ("Workload-Proof-Token", &mk(json!({"tth": tth}))),
                    ("Txn-Token", txn),
                ]),
                &cfg01,
                WPT_NOW,
            ),
            expect("gen-1", json!(["tth"])),
        ),
    ];
    let _ = k;
    cases.extend([
        // Step 1.
        bad("wit-missing", "§3.3 step 1: exactly one WIT", input(req(&[("Workload-Proof-Token", SPEC_WPT)]), &cfg01, WPT_NOW), "credential-missing"),
        bad("wit-twice", "§3.3 step 1 / §7.D7: two Workload-Identity-Token fields", input(spec_req(&[("Workload-Identity-Token", SPEC_WIT)]), &cfg01, WPT_NOW), "credential-duplicated"),
        bad("wpt-missing", "§3.3 step 1 / §7.E1: no WPT", input(req(&[("Workload-Identity-Token", SPEC_WIT)]), &cfg01, WPT_NOW), "credential-missing"),
        bad("wpt-twice", "§3.3 step 1 / §7.E1: two Workload-Proof-Token fields", input(spec_req(&[("Workload-Proof-Token", SPEC_WPT)]), &cfg01, WPT_NOW), "credential-duplicated"),
        bad("wpt-02-bearer-instead", "§7.E1: wpt-02 with Authorization: Bearer is not a WPT", input(req(&[("Workload-Identity-Token", SPEC_WIT), ("Authorization", "Bearer abc")]), &cfg02, WPT_NOW), "credential-missing"),
        bad("wpt-02-authorization-twice", "§7.E1: Authorization repeated", input(req(&[("Workload-Identity-Token", SPEC_WIT), ("Authorization", &format!("WPT {WPT_02}")), ("Authorization", "Bearer x")]), &cfg02, WPT_NOW), "credential-duplicated"),
        bad("wpt-01-form-under-wpt-02", "the wire form is configured, never guessed: a wpt-01 request to a wpt-02 verifier", input(spec_req(&[]), &cfg02, WPT_NOW), "credential-missing"),
        bad("wpt-02-with-wpt-01-field-too", "wpt-02: a leftover Workload-Proof-Token makes the request ambiguous",
            input(req(&[("Workload-Identity-Token", SPEC_WIT), ("Authorization", &format!("WPT {WPT_02}")), ("Workload-Proof-Token", SPEC_WPT)]), &cfg02, WPT_NOW), "credential-duplicated"),
        // Step 2.
        bad("wit-expired", "specs N12: the WIT is checked first and has expired", input(spec_req(&[]), &cfg01, 1_745_512_510 + 60), "token-expired"),
        bad("wit-untrusted", "specs N15: example.com is not a configured WIMSE trust domain",
            json!({"request": spec_req(&[]), "trust_store": to_compact(&json!({"trust_domains": {"example.com": {"keys": []}}})), "config": to_compact(&cfg01), "now": WPT_NOW}), "unknown-trust-domain"),
        // Step 3.
        bad("wpt-malformed", "§3.3 step 3: one compact JWS", input(wit_wpt("abc.def"), &cfg01, WPT_NOW), "malformed-token"),
        bad("wpt-crit", "§3.3 step 3: crit is refused", input(wit_wpt(&sign_raw(to_compact(&json!({"alg": "EdDSA", "typ": "wpt+jwt", "crit": ["x"], "x": 1})).as_bytes(),
                to_compact(&json!({"aud": AUD, "exp": 1_745_510_016u64, "jti": "gen-1", "wth": b64::encode(&sha256(SPEC_WIT.as_bytes()))})).as_bytes(), &wk)), &cfg01, WPT_NOW), "crit-unsupported"),
        // Step 4.
        bad("alg-ed25519-for-eddsa", "specs N9 / §7.E2: header alg Ed25519 while cnf.jwk.alg is EdDSA, refused before verification",
            input(wit_wpt(&wpt(SPEC_WIT, json!({}), hdr.clone(), &workload_key(Algorithm::Ed25519))), &cfg01, WPT_NOW), "alg-not-allowed"),
        bad("alg-es256", "specs N9: header alg ES256 (an ES256 signature by another key)",
            input(wit_wpt(&wpt(SPEC_WIT, json!({}), hdr.clone(), &k.es256)), &cfg01, WPT_NOW), "alg-not-allowed"),
        // Step 5.
        bad("payload-flipped", "specs N7: one payload character changed", input(spec_req(&[]).pipe(|mut r| { r["headers"][4][1] = json!(replace_segment(SPEC_WPT, 1, &b64::encode(br#"{"ath":"CL4wjfpRmNf-bdYIbYLnV9d5rMARGwKYE10wUwzC0jI","aud":"https://workload.example.com/path","exp":1745510016,"jti":"__bwc4ESC3acc2LTC1-_y","wth":"AaYUfC34D1di2FxQLpiIJJ7Sg8VZ6o8OCdwSf9IToLg"}"#))); r }), &cfg01, WPT_NOW), "invalid-signature"),
        bad("signed-by-other-key", "§7.E2: signed with a key that is not cnf.jwk", input(wit_wpt(&wpt(SPEC_WIT, json!({}), hdr.clone(), &other_key)), &cfg01, WPT_NOW), "invalid-signature"),
        // Step 6.
        bad("typ-jwt", "specs N8 / §7.E3: typ JWT", input(wit_wpt(&wpt(SPEC_WIT, json!({}), json!({"typ": "JWT"}), &wk)), &cfg01, WPT_NOW), "typ-mismatch"),
        bad("typ-wit", "§7.C6: a WIT-typed token is not a WPT", input(wit_wpt(&wpt(SPEC_WIT, json!({}), json!({"typ": "wit+jwt"}), &wk)), &cfg01, WPT_NOW), "typ-mismatch"),
        // Step 7.
        bad("aud-other-authority", "specs N2: configured for https://workload.example.com/other's authority only",
            input(spec_req(&[]), &json!({"wire": "wpt-01", "authorities": ["https://other.example.com"]}), WPT_NOW), "claim-mismatch"),
        bad("aud-other-path", "§3.3 step 7: the request path is /other", input(request("POST", "/other", &[("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"), ("Workload-Identity-Token", SPEC_WIT), ("Workload-Proof-Token", SPEC_WPT)]), &cfg01, WPT_NOW), "claim-mismatch"),
        bad("aud-with-query", "§3.1: aud never carries the query", input(wit_wpt(&mk(json!({"aud": "https://workload.example.com/path?x=1"}))), &cfg01, WPT_NOW), "claim-mismatch"),
        bad("aud-missing", "§3.1: aud is required", input(wit_wpt(&mk(json!({"aud": null}))), &cfg01, WPT_NOW), "claim-missing"),
        // Step 8.
        bad("expired", "specs N1: verified at 1745510017 plus the leeway", input(spec_req(&[]), &cfg01, 1_745_510_016 + 60), "token-expired"),
        bad("lifetime-too-long", "specs N11 / §7.E5: exp a day ahead", input(wit_wpt(&mk(json!({"exp": WPT_NOW + 86_400}))), &cfg01, WPT_NOW), "claim-invalid"),
        bad("exp-missing", "§7.E5: exp is required", input(wit_wpt(&mk(json!({"exp": null}))), &cfg01, WPT_NOW), "claim-missing"),
        bad("jti-missing", "§3.1: jti is required", input(wit_wpt(&mk(json!({"jti": null}))), &cfg01, WPT_NOW), "claim-missing"),
        // Step 9.
        bad("wth-wit-prime-swap", "specs N3 / §7.E6: the §6.3 WPT presented with WIT′, itself valid",
            input(req(&[("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"), ("Workload-Identity-Token", WIT_PRIME), ("Workload-Proof-Token", SPEC_WPT)]), &cfg01, WPT_NOW), "binding-mismatch"),
        bad("wth-missing", "§7.E6: wth is required", input(wit_wpt(&mk(json!({"wth": null}))), &cfg01, WPT_NOW), "claim-missing"),
        // Step 10.
        bad("ath-other-token", "specs N4 / §7.E7: the bearer token is 16_mAd0GiwaZokU26_0902101",
            input(req(&[("Authorization", "Bearer 16_mAd0GiwaZokU26_0902101"), ("Workload-Identity-Token", SPEC_WIT), ("Workload-Proof-Token", SPEC_WPT)]), &cfg01, WPT_NOW), "binding-mismatch"),
        bad("ath-missing", "§7.E7: an access token is present but the WPT has no ath",
            input(req(&[("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"), ("Workload-Identity-Token", SPEC_WIT), ("Workload-Proof-Token", WPT_02)]), &cfg01, WPT_NOW), "claim-missing"),
        bad("ath-without-token", "§3.3 step 10 (REC): ath names a token absent from the request", input(wit_wpt(SPEC_WPT), &cfg01, WPT_NOW), "binding-mismatch"),
        bad("wpt-02-ath", "§7.E9: wpt-02 carries no bearer token, so an ath binds nothing",
            input(req(&[("Workload-Identity-Token", SPEC_WIT), ("Authorization", &format!("WPT {}", mk(json!({"ath": b64::encode(&sha256(SPEC_AT.as_bytes()))}))))]), &cfg02, WPT_NOW), "binding-mismatch"),
        bad("oth-token-changed", "specs N5: X-Custom-Token changed",
            input(req(&[("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"), ("Workload-Identity-Token", WIT_PRIME), ("Workload-Proof-Token", SPEC_WPT_OTH), ("X-Custom-Token", "another-token")]),
                &json!({"wire": "wpt-01", "authorities": ["https://workload.example.com"], "understood_oth": ["x-custom-token"]}), WPT_NOW), "binding-mismatch"),
        bad("oth-token-removed", "specs N5: X-Custom-Token removed",
            input(req(&[("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"), ("Workload-Identity-Token", WIT_PRIME), ("Workload-Proof-Token", SPEC_WPT_OTH)]),
                &json!({"wire": "wpt-01", "authorities": ["https://workload.example.com"], "understood_oth": ["x-custom-token"]}), WPT_NOW), "binding-mismatch"),
        bad("oth-not-understood", "specs N6 / §7.E7: an oth entry this verifier does not understand",
            input(req(&[("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100"), ("Workload-Identity-Token", WIT_PRIME), ("Workload-Proof-Token", SPEC_WPT_OTH), ("X-Custom-Token", "some-example-other-token")]), &cfg01, WPT_NOW), "claim-invalid"),
        bad("tth-missing", "§7.E7: a Txn-Token is present but the WPT has no tth", input(req(&[("Workload-Identity-Token", SPEC_WIT), ("Workload-Proof-Token", &mk(json!({}))), ("Txn-Token", txn)]), &cfg01, WPT_NOW), "claim-missing"),
        bad("tth-other-token", "§7.E7: tth over another Txn-Token", input(req(&[("Workload-Identity-Token", SPEC_WIT), ("Workload-Proof-Token", &mk(json!({"tth": tth}))), ("Txn-Token", "other")]), &cfg01, WPT_NOW), "binding-mismatch"),
        bad("txn-token-twice", "§3.1: repeated context-token fields are not supported",
            input(req(&[("Workload-Identity-Token", SPEC_WIT), ("Workload-Proof-Token", &mk(json!({"tth": tth}))), ("Txn-Token", txn), ("Txn-Token", txn)]), &cfg01, WPT_NOW), "credential-duplicated"),
    ]);
    // §7.E8: ECDSA malleability. An ES256 WPT and the same WPT with s replaced by n - s (also a
    // valid signature) share (sub, jti): the cache, keyed on the claims, refuses the second.
    {
        let es_claims = json!({"sub": "spiffe://example.org/ns/prod/sa/api", "iat": NOW, "exp": NOW + 3600, "jti": "wit-es", "cnf": {"jwk": cnf_jwk(&k.es256_other)}});
        let es_wit = sign(json!({"typ": "wit+jwt"}), &es_claims, &k.es256);
        let es_wpt = sign(
            json!({"typ": "wpt+jwt"}),
            &json!({"aud": "https://svc.example.org/a2a", "exp": NOW + 60, "jti": "malleable-1",
            "wth": b64::encode(&sha256(es_wit.as_bytes()))}),
            &k.es256_other,
        );
        let twin = high_s_twin(&es_wpt);
        assert_ne!(twin, es_wpt);
        let es_cfg = json!({"wire": "wpt-01", "authorities": ["https://svc.example.org"]});
        let es_req = |wpt: &str| {
            request(
                "POST",
                "/a2a",
                &[
                    ("Workload-Identity-Token", &es_wit),
                    ("Workload-Proof-Token", wpt),
                ],
            )
        };
        let es_input = |wpt: &str| json!({"request": es_req(wpt), "trust_store": trust_store(k), "config": to_compact(&es_cfg), "now": NOW + 10});
        cases.push(ok("verify-wpt/es256-high-s-twin-alone", "ECDSA: the (r, n - s) twin is itself a valid signature (so caches must not key on signature bytes)",
            es_input(&twin), json!({"subject": "spiffe://example.org/ns/prod/sa/api", "trust_domain": "example.org", "audience": "https://svc.example.org/a2a",
                "jti": "malleable-1", "expires_at": NOW + 60, "proof_alg": "ES256", "cnf_thumbprint": thumb(&k.es256_other), "bound": []})));
        let mut replayed = es_input(&twin);
        replayed["before"] = json!([es_req(&es_wpt)]);
        cases.push(bad("es256-high-s-twin-replayed", "§7.E8: the malleated twin after the original is a replay (cache keyed on (sub, jti), not token bytes)",
            replayed, "replayed"));
    }
    // Step 11: the same request twice through one replay cache.
    let mut replay = input(spec_req(&[]), &cfg01, WPT_NOW);
    replay["repeat"] = json!(2);
    cases.push(bad(
        "replayed",
        "specs N10 / §7.E8: the same WPT twice from the same sub",
        replay,
        "replayed",
    ));
    cases
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl Pipe for Value {}

const RFC_TOKEN_PROOF: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";
const RFC_RESOURCE_PROOF: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";
const RFC_AT: &str = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
const RFC_JKT: &str = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
const DIGEST_EDDSA_PROOF: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVkRFNBIiwiandrIjp7Imt0eSI6Ik9LUCIsImNydiI6IkVkMjU1MTkiLCJ4IjoiMTFxWUFZS3hDcmZWU183VHlXUUhPZzdoY3ZQYXBpTWxyd0lhYVBjSFVSbyJ9fQ.eyJqdGkiOiJhMmEtdmVjdG9yLTAwMDEiLCJodG0iOiJQT1NUIiwiaHR1IjoiaHR0cHM6Ly9hZ2VudC5leGFtcGxlLmNvbS9hMmEvdjEiLCJpYXQiOjE3NjcyMjU2MDAsImF0aCI6ImFjR1RmUFkyeDA1NjFHMktvZUVZbjZaaGlsbmtOQTFTVzJ6cjhKeDZtZzQifQ.QEoxa_bXY-mPrKjulv_FbwgyeHIchB0z7v149dwAb4tJrRo_ti9Wk0PXV8EE0vUyUz-49_x68kcZi0f5ATNxCQ";
const A2A_AT: &str = "agent-to-agent-test-access-token";
const NONCE_SECRET: [u8; 32] = [0x42; 32];

fn dpop_header(key: &KeyPair) -> Value {
    json!({"typ": "dpop+jwt", "jwk": serde_json::from_str::<Value>(&key.public_jwk().thumbprint_input()).unwrap()})
}

/// The nonce DpopNonces hands out, computed here from its definition.
fn nonce_for(step: u64) -> String {
    let mut input = b"a2a-auth dpop-nonce v1".to_vec();
    input.extend(step.to_be_bytes());
    let mac = a2a_auth::crypto::hmac_sha256(&NONCE_SECRET, &input).unwrap();
    let mut bytes = step.to_be_bytes().to_vec();
    bytes.extend(&mac[..16]);
    b64::encode(&bytes)
}

pub fn create_dpop_cases(k: &Keys) -> Vec<Case> {
    let input = |key: &KeyPair,
                 method: &str,
                 uri: &str,
                 now: u64,
                 jti: &str,
                 at: Option<&str>,
                 nonce: Option<&str>| {
        json!({"key": private(key), "method": method, "uri": uri, "now": now, "jti": jti, "access_token": at, "nonce": nonce})
    };
    let claims = json!({"jti": "a2a-vector-0001", "htm": "POST", "htu": "https://agent.example.com/a2a/v1", "iat": 1_767_225_600u64,
        "ath": b64::encode(&sha256(A2A_AT.as_bytes()))});
    let expected = sign(dpop_header(&k.rfc8037), &claims, &k.rfc8037);
    let es_claims = json!({"jti": "es-1", "htm": "GET", "htu": "https://resource.example.org/protectedresource", "iat": NOW, "nonce": "n-1"});
    let es_expected = sign(dpop_header(&k.es256), &es_claims, &k.es256);
    let bad = |id: &str, title: &str, i: Value, code: &str| {
        err(&format!("create-dpop-proof/{id}"), title, i, code)
    };
    vec![
        ok(
            "create-dpop-proof/eddsa-with-ath",
            "RFC 9449 §4.2: typ dpop+jwt, public jwk (required members), jti/htm/htu/iat, ath; query dropped from htu; deterministic EdDSA",
            input(
                &k.rfc8037,
                "POST",
                "https://agent.example.com/a2a/v1?x=1#f",
                1_767_225_600,
                "a2a-vector-0001",
                Some(A2A_AT),
                None,
            ),
            json!({"token": expected}),
        ),
        ok(
            "create-dpop-proof/es256-with-nonce",
            "RFC 9449 §8: the server's nonce is echoed; no ath without an access token (RFC 6979 ES256)",
            input(
                &k.es256,
                "GET",
                "https://resource.example.org/protectedresource",
                NOW,
                "es-1",
                None,
                Some("n-1"),
            ),
            json!({"token": es_expected}),
        ),
        bad(
            "hmac-key",
            "RFC 9449 §4.2: alg is asymmetric",
            input(&k.hs256, "GET", "https://r.example/x", NOW, "j", None, None),
            "alg-not-allowed",
        ),
        bad(
            "relative-uri",
            "RFC 9449 §4.2: htu is an absolute http(s) URI",
            input(&k.es256, "GET", "/x", NOW, "j", None, None),
            "invalid-argument",
        ),
        bad(
            "method-empty",
            "RFC 9449 §4.2: htm is required",
            input(&k.es256, "", "https://r.example/x", NOW, "j", None, None),
            "invalid-argument",
        ),
        bad(
            "jti-empty",
            "RFC 9449 §4.2: jti is required",
            input(&k.es256, "GET", "https://r.example/x", NOW, "", None, None),
            "invalid-argument",
        ),
    ]
}

pub fn verify_dpop_cases(k: &Keys) -> Vec<Case> {
    let cfg = |origin: &str| to_compact(&json!({"origin": origin}));
    let resource = cfg("https://resource.example.org");
    let input = |req: Value, config: &str, jkt: Option<&str>, now: u64| json!({"request": req, "config": config, "expected_jkt": jkt, "now": now});
    let rfc_req = |method: &str, target: &str, extra: &[(&str, &str)]| {
        let mut h = vec![
            (
                "Authorization",
                "DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
            ),
            ("DPoP", RFC_RESOURCE_PROOF),
        ];
        h.extend_from_slice(extra);
        request(method, target, &h)
    };
    let rfc_ok = json!({"jkt": RFC_JKT, "jti": "e1j3V_bKic8-LAEB", "issued_at": 1_562_262_618u64, "access_token_bound": true});
    let bad = |id: &str, title: &str, i: Value, code: &str| {
        err(&format!("verify-dpop-proof/{id}"), title, i, code)
    };
    // Generated proofs (ES256 key es256-1) for single-check negatives.
    let key = &k.es256;
    let base = json!({"jti": "g-1", "htm": "GET", "htu": "https://resource.example.org/protectedresource", "iat": NOW, "ath": b64::encode(&sha256(RFC_AT.as_bytes()))});
    let proof = |patch: Value| sign(dpop_header(key), &patched(&base, patch), key);
    let proof_h = |header: Value| sign(header, &base, key);
    let gen_req = |p: &str| {
        request(
            "GET",
            "/protectedresource",
            &[("Authorization", &format!("DPoP {RFC_AT}")), ("DPoP", p)],
        )
    };
    let gen_ok =
        json!({"jkt": thumb(key), "jti": "g-1", "issued_at": NOW, "access_token_bound": true});
    let with_d = {
        let mut h = dpop_header(key);
        h["jwk"]["d"] =
            serde_json::from_str::<Value>(&key.to_private_jwk_json()).unwrap()["d"].clone();
        h
    };
    let nonce_cfg = to_compact(
        &json!({"origin": "https://resource.example.org", "nonce_secret": b64::encode(&NONCE_SECRET), "nonce_step": 60}),
    );
    let good_nonce = nonce_for(NOW / 60);
    let stale_nonce = nonce_for(NOW / 60 - 3);
    let hs = KeyPair::from_seed(Algorithm::Hs256, &seed("hs256-1", 32)).unwrap();
    let mut cases = vec![
        ok(
            "verify-dpop-proof/rfc9449-resource-request",
            "RFC 9449 §7: the resource request example, ath over the access token, cnf.jkt 0ZcO…",
            input(
                rfc_req("GET", "/protectedresource", &[]),
                &resource,
                Some(RFC_JKT),
                1_562_262_618,
            ),
            rfc_ok.clone(),
        ),
        ok(
            "verify-dpop-proof/rfc9449-token-request",
            "RFC 9449 §5: the token request example (no access token, no ath)",
            input(
                request("POST", "/token", &[("DPoP", RFC_TOKEN_PROOF)]),
                &cfg("https://server.example.com"),
                None,
                1_562_262_616,
            ),
            json!({"jkt": RFC_JKT, "jti": "-BwC3ESc6acc2lTc", "issued_at": 1_562_262_616u64, "access_token_bound": false}),
        ),
        ok(
            "verify-dpop-proof/eddsa-digest-vector",
            "specs oauth §1.11: deterministic EdDSA proof (RFC 8032 test-1 key)",
            input(
                request(
                    "POST",
                    "/a2a/v1",
                    &[
                        ("Authorization", &format!("DPoP {A2A_AT}")),
                        ("DPoP", DIGEST_EDDSA_PROOF),
                    ],
                ),
                &cfg("https://agent.example.com"),
                Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"),
                1_767_225_600,
            ),
            json!({"jkt": "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", "jti": "a2a-vector-0001", "issued_at": 1_767_225_600u64, "access_token_bound": true}),
        ),
        ok(
            "verify-dpop-proof/query-in-request",
            "RFC 9449 §4.3: htu excludes the query; ?x=1 on the request still matches",
            input(
                rfc_req("GET", "/protectedresource?x=1", &[]),
                &resource,
                Some(RFC_JKT),
                1_562_262_618,
            ),
            rfc_ok.clone(),
        ),
        ok(
            "verify-dpop-proof/default-port-origin",
            "RFC 3986 §6.2.3: https://resource.example.org:443 equals the port-less form",
            input(
                rfc_req("GET", "/protectedresource", &[]),
                &cfg("https://Resource.Example.org:443"),
                Some(RFC_JKT),
                1_562_262_618,
            ),
            rfc_ok.clone(),
        ),
        ok(
            "verify-dpop-proof/dot-segments-normalised",
            "RFC 3986 §6.2.2.3: /a/../protectedresource normalises to the htu",
            input(
                rfc_req("GET", "/a/../protectedresource", &[]),
                &resource,
                Some(RFC_JKT),
                1_562_262_618,
            ),
            rfc_ok.clone(),
        ),
        ok(
            "verify-dpop-proof/iat-300s-old",
            "specs §1.8: iat exactly max_age (300 s) old is accepted",
            input(
                rfc_req("GET", "/protectedresource", &[]),
                &resource,
                Some(RFC_JKT),
                1_562_262_618 + 300,
            ),
            rfc_ok.clone(),
        ),
        ok(
            "verify-dpop-proof/valid-nonce",
            "RFC 9449 §9: a nonce this server issued in the current step",
            input(
                gen_req(&proof(json!({"nonce": good_nonce}))),
                &nonce_cfg,
                None,
                NOW + 5,
            ),
            gen_ok.clone(),
        ),
        ok(
            "verify-dpop-proof/nonce-two-steps-old",
            "stateless nonces stay valid for their step and the two after",
            input(
                gen_req(&proof(json!({"nonce": nonce_for(NOW / 60 - 2)}))),
                &nonce_cfg,
                None,
                NOW + 5,
            ),
            gen_ok.clone(),
        ),
    ];
    cases.extend([
        bad(
            "no-proof",
            "RFC 9449 §7.1: a DPoP-scheme request without a DPoP header",
            input(
                request(
                    "GET",
                    "/protectedresource",
                    &[("Authorization", &format!("DPoP {RFC_AT}"))],
                ),
                &resource,
                None,
                1_562_262_618,
            ),
            "credential-missing",
        ),
        bad(
            "two-proofs",
            "RFC 9449 §4.3 step 1: exactly one DPoP header",
            input(
                rfc_req("GET", "/protectedresource", &[("DPoP", RFC_RESOURCE_PROOF)]),
                &resource,
                None,
                1_562_262_618,
            ),
            "credential-duplicated",
        ),
        bad(
            "two-authorization",
            "RFC 9110: one Authorization field",
            input(
                rfc_req(
                    "GET",
                    "/protectedresource",
                    &[("Authorization", "Bearer x")],
                ),
                &resource,
                None,
                1_562_262_618,
            ),
            "credential-duplicated",
        ),
        bad(
            "payload-flipped",
            "specs §1.11: one payload byte changed",
            input(
                gen_req(&tamper_payload(&proof(json!({})))),
                &resource,
                None,
                NOW,
            ),
            "invalid-signature",
        ),
        bad(
            "typ-jwt",
            "RFC 9449 §4.3 step 4: typ dpop+jwt",
            input(
                gen_req(&proof_h(
                    json!({"typ": "JWT", "jwk": dpop_header(key)["jwk"]}),
                )),
                &resource,
                None,
                NOW,
            ),
            "typ-mismatch",
        ),
        bad(
            "typ-missing",
            "RFC 9449 §4.3: typ is required",
            input(
                gen_req(&proof_h(json!({"jwk": dpop_header(key)["jwk"]}))),
                &resource,
                None,
                NOW,
            ),
            "typ-mismatch",
        ),
        bad(
            "alg-hs256-with-jwk",
            "specs §1.11 / RFC 8725 §3.1: HS256 with the public jwk is never accepted",
            input(
                gen_req(&sign(
                    json!({"typ": "dpop+jwt", "jwk": dpop_header(key)["jwk"]}),
                    &base,
                    &hs,
                )),
                &resource,
                None,
                NOW,
            ),
            "alg-not-allowed",
        ),
        bad(
            "alg-not-configured",
            "RFC 9449 §4.3 step 5: an algorithm outside the configured list",
            input(
                gen_req(&proof(json!({}))),
                &to_compact(
                    &json!({"origin": "https://resource.example.org", "algorithms": ["EdDSA"]}),
                ),
                None,
                NOW,
            ),
            "alg-not-allowed",
        ),
        bad(
            "jwk-private",
            "RFC 9449 §4.3 step 7: the jwk carries d",
            input(gen_req(&proof_h(with_d)), &resource, None, NOW),
            "invalid-key",
        ),
        bad(
            "jwk-missing",
            "RFC 9449 §4.2: jwk is required",
            input(
                gen_req(&proof_h(json!({"typ": "dpop+jwt"}))),
                &resource,
                None,
                NOW,
            ),
            "invalid-key",
        ),
        bad(
            "jwk-other-key",
            "RFC 9449 §4.3 step 6: signed by a key other than the embedded jwk",
            input(
                gen_req(&sign(dpop_header(&k.es256_other), &base, key)),
                &resource,
                None,
                NOW,
            ),
            "invalid-signature",
        ),
        bad(
            "jwk-wrong-type",
            "§0.3 key consistency: an Ed25519 jwk for an ES256 proof",
            input(
                gen_req(&sign(
                    json!({"typ": "dpop+jwt", "jwk": dpop_header(&k.ed25519)["jwk"]}),
                    &base,
                    key,
                )),
                &resource,
                None,
                NOW,
            ),
            "key-mismatch",
        ),
        bad(
            "htm-case",
            "specs §1.4: htm compares exactly (GET vs get)",
            input(
                request(
                    "get",
                    "/protectedresource",
                    &[
                        ("Authorization", &format!("DPoP {RFC_AT}")),
                        ("DPoP", &proof(json!({}))),
                    ],
                ),
                &resource,
                None,
                NOW,
            ),
            "claim-mismatch",
        ),
        bad(
            "htm-other",
            "RFC 9449 §4.3 step 8: POST request, GET proof",
            input(
                request(
                    "POST",
                    "/protectedresource",
                    &[
                        ("Authorization", &format!("DPoP {RFC_AT}")),
                        ("DPoP", &proof(json!({}))),
                    ],
                ),
                &resource,
                None,
                NOW,
            ),
            "claim-mismatch",
        ),
        bad(
            "htu-other-path",
            "RFC 9449 §4.3 step 9: another path",
            input(
                request(
                    "GET",
                    "/other",
                    &[
                        ("Authorization", &format!("DPoP {RFC_AT}")),
                        ("DPoP", &proof(json!({}))),
                    ],
                ),
                &resource,
                None,
                NOW,
            ),
            "claim-mismatch",
        ),
        bad(
            "htu-other-origin",
            "specs §1.4: the origin comes from configuration",
            input(
                gen_req(&proof(json!({}))),
                &cfg("https://api.example.org"),
                None,
                NOW,
            ),
            "claim-mismatch",
        ),
        bad(
            "htu-not-a-uri",
            "RFC 9449 §4.2: htu is an absolute URI",
            input(
                gen_req(&proof(
                    json!({"htu": "resource.example.org/protectedresource"}),
                )),
                &resource,
                None,
                NOW,
            ),
            "claim-invalid",
        ),
        bad(
            "jti-missing",
            "RFC 9449 §4.2: jti is required",
            input(gen_req(&proof(json!({"jti": null}))), &resource, None, NOW),
            "claim-missing",
        ),
        bad(
            "jti-too-long",
            "specs §1.6 step 7: jti at most 256 bytes",
            input(
                gen_req(&proof(json!({"jti": "j".repeat(257)}))),
                &resource,
                None,
                NOW,
            ),
            "claim-invalid",
        ),
        bad(
            "iat-missing",
            "RFC 9449 §4.2: iat is required",
            input(gen_req(&proof(json!({"iat": null}))), &resource, None, NOW),
            "claim-missing",
        ),
        bad(
            "iat-301s-old",
            "specs §1.11: iat 301 s old",
            input(
                rfc_req("GET", "/protectedresource", &[]),
                &resource,
                None,
                1_562_262_618 + 301,
            ),
            "token-too-old",
        ),
        bad(
            "iat-future",
            "specs §1.8: iat more than 60 s ahead",
            input(
                gen_req(&proof(json!({"iat": NOW + 61}))),
                &resource,
                None,
                NOW,
            ),
            "token-issued-in-future",
        ),
        bad(
            "ath-other-token",
            "specs §1.11: the access token is not the one hashed in ath",
            input(
                request(
                    "GET",
                    "/protectedresource",
                    &[
                        ("Authorization", "DPoP other-token"),
                        ("DPoP", RFC_RESOURCE_PROOF),
                    ],
                ),
                &resource,
                None,
                1_562_262_618,
            ),
            "claim-mismatch",
        ),
        bad(
            "ath-missing",
            "RFC 9449 §7: with an access token, ath is required",
            input(gen_req(&proof(json!({"ath": null}))), &resource, None, NOW),
            "claim-missing",
        ),
        bad(
            "ath-without-token",
            "an ath with no access token in the request",
            input(
                request("GET", "/protectedresource", &[("DPoP", RFC_RESOURCE_PROOF)]),
                &resource,
                None,
                1_562_262_618,
            ),
            "claim-mismatch",
        ),
        bad(
            "jkt-mismatch",
            "RFC 9449 §7.1: the proof key is not the access token's cnf.jkt (invalid_token)",
            input(
                rfc_req("GET", "/protectedresource", &[]),
                &resource,
                Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"),
                1_562_262_618,
            ),
            "binding-mismatch",
        ),
        bad(
            "nonce-missing",
            "RFC 9449 §9: nonces required, none sent",
            input(gen_req(&proof(json!({}))), &nonce_cfg, None, NOW + 5),
            "use-dpop-nonce",
        ),
        bad(
            "nonce-stale",
            "stateless nonces expire after three steps",
            input(
                gen_req(&proof(json!({"nonce": stale_nonce}))),
                &nonce_cfg,
                None,
                NOW + 5,
            ),
            "use-dpop-nonce",
        ),
        bad(
            "nonce-forged",
            "a nonce under another secret",
            input(
                gen_req(&proof(json!({"nonce": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}))),
                &nonce_cfg,
                None,
                NOW + 5,
            ),
            "use-dpop-nonce",
        ),
    ]);
    let mut replay = input(
        rfc_req("GET", "/protectedresource", &[]),
        &resource,
        None,
        1_562_262_618,
    );
    replay["repeat"] = json!(2);
    cases.push(bad(
        "replayed",
        "specs §1.8: the same proof twice (jti per key)",
        replay,
        "replayed",
    ));
    cases
}

fn tamper_payload(token: &str) -> String {
    let mut payload = b64::decode(segment(token, 1)).unwrap();
    let last = payload.len() - 2;
    payload[last] ^= 0x01;
    replace_segment(token, 1, &b64::encode(&payload))
}

pub fn dpop_nonce_cases() -> Vec<Case> {
    let config = to_compact(
        &json!({"origin": "https://r.example", "nonce_secret": b64::encode(&NONCE_SECRET), "nonce_step": 60}),
    );
    vec![
        ok(
            "dpop-nonce/step",
            "stateless nonce: base64url(step ‖ HMAC-SHA256(secret, label ‖ step)[..16]), 60 s steps",
            json!({"config": config, "now": NOW + 59}),
            json!({"nonce": nonce_for(NOW / 60)}),
        ),
        err(
            "dpop-nonce/no-secret",
            "a configuration without nonce_secret issues no nonces",
            json!({"config": to_compact(&json!({"origin": "https://r.example"})), "now": NOW}),
            "invalid-argument",
        ),
        err(
            "dpop-nonce/short-secret",
            "the nonce secret is at least 32 bytes",
            json!({"config": to_compact(&json!({"origin": "https://r.example", "nonce_secret": b64::encode(&[1u8; 16])})), "now": NOW}),
            "invalid-argument",
        ),
        err(
            "dpop-nonce/unknown-member",
            "configurations refuse unknown members",
            json!({"config": to_compact(&json!({"origin": "https://r.example", "nonce": 1})), "now": NOW}),
            "invalid-argument",
        ),
    ]
}

pub fn challenge_cases() -> Vec<Case> {
    let wpt = |id: &str, title: &str, code: &str, wire: &str, status: u16, www: Option<&str>| {
        ok(
            &format!("wpt-challenge/{id}"),
            title,
            json!({"code": code, "wire": wire}),
            json!({"status": status, "www_authenticate": www, "dpop_nonce": null}),
        )
    };
    vec![
        wpt(
            "wpt-01",
            "specs §3.3 errors: wpt-01 answers 400 (401 NOT RECOMMENDED)",
            "binding-mismatch",
            "wpt-01",
            400,
            None,
        ),
        wpt(
            "wpt-02",
            "specs §3.3 errors: wpt-02 answers 401 with WWW-Authenticate: WPT",
            "binding-mismatch",
            "wpt-02",
            401,
            Some("WPT"),
        ),
        wpt(
            "wpt-02-missing",
            "wpt-02: no credentials also gets the WPT challenge",
            "credential-missing",
            "wpt-02",
            401,
            Some("WPT"),
        ),
        wpt(
            "wpt-02-config-error",
            "wpt-02: a problem unrelated to the credentials is 400",
            "invalid-argument",
            "wpt-02",
            400,
            None,
        ),
    ]
}

pub fn dpop_challenge_cases() -> Vec<Case> {
    let plain =
        to_compact(&json!({"origin": "https://r.example", "algorithms": ["ES256", "EdDSA"]}));
    let nonced = to_compact(
        &json!({"origin": "https://r.example", "algorithms": ["ES256"], "nonce_secret": b64::encode(&NONCE_SECRET)}),
    );
    let c = |id: &str, title: &str, code: &str, desc: &str, config: &str, out: Value| {
        ok(
            &format!("dpop-challenge/{id}"),
            title,
            json!({"code": code, "description": desc, "config": config, "now": NOW}),
            out,
        )
    };
    vec![
        c(
            "no-credentials",
            "RFC 6750 §3.1: no error information when the request had no credentials",
            "credential-missing",
            "no dpop proof in the request",
            &plain,
            json!({"status": 401, "www_authenticate": "DPoP algs=\"ES256 EdDSA\"", "dpop_nonce": null}),
        ),
        c(
            "invalid-proof",
            "RFC 9449 §7.1: invalid_dpop_proof with algs",
            "claim-mismatch",
            "claim `htu` does not match the expected value",
            &plain,
            json!({"status": 401, "www_authenticate": "DPoP error=\"invalid_dpop_proof\", error_description=\"claim `htu` does not match the expected value\", algs=\"ES256 EdDSA\"", "dpop_nonce": null}),
        ),
        c(
            "binding",
            "RFC 9449 §7.1: a key-binding mismatch is invalid_token",
            "binding-mismatch",
            "proof does not bind the access token presented",
            &plain,
            json!({"status": 401, "www_authenticate": "DPoP error=\"invalid_token\", error_description=\"proof does not bind the access token presented\", algs=\"ES256 EdDSA\"", "dpop_nonce": null}),
        ),
        c(
            "use-nonce",
            "RFC 9449 §9: use_dpop_nonce with a fresh DPoP-Nonce",
            "use-dpop-nonce",
            "a fresh server nonce is required",
            &nonced,
            json!({"status": 401, "www_authenticate": "DPoP error=\"use_dpop_nonce\", error_description=\"a fresh server nonce is required\", algs=\"ES256\"", "dpop_nonce": nonce_for(NOW / 60)}),
        ),
        c(
            "duplicated",
            "specs §1.9: ambiguous credentials are 400 invalid_request",
            "credential-duplicated",
            "more than one dpop proof in the request",
            &plain,
            json!({"status": 400, "www_authenticate": "DPoP error=\"invalid_request\", error_description=\"more than one dpop proof in the request\", algs=\"ES256 EdDSA\"", "dpop_nonce": null}),
        ),
        c(
            "description-quoting",
            "RFC 6749 NQSCHAR: a quote or backslash in a description cannot break the header",
            "invalid-signature",
            "a \"quoted\" \\ text",
            &plain,
            json!({"status": 401, "www_authenticate": "DPoP error=\"invalid_dpop_proof\", error_description=\"a 'quoted' ' text\", algs=\"ES256 EdDSA\"", "dpop_nonce": null}),
        ),
    ]
}

pub fn normalize_cases() -> Vec<Case> {
    let n = |id: &str, title: &str, uri: &str, out: &str| {
        ok(
            &format!("normalize-http-uri/{id}"),
            title,
            json!({"uri": uri}),
            json!({"uri": out}),
        )
    };
    let bad = |id: &str, title: &str, uri: &str| {
        err(
            &format!("normalize-http-uri/{id}"),
            title,
            json!({"uri": uri}),
            "invalid-argument",
        )
    };
    vec![
        n(
            "case",
            "RFC 3986 §6.2.2.1: scheme and host lowercase",
            "HTTPS://Resource.Example.ORG/Path",
            "https://resource.example.org/Path",
        ),
        n(
            "default-port",
            "RFC 3986 §6.2.3: default port dropped",
            "https://r.example:443/x",
            "https://r.example/x",
        ),
        n(
            "empty-port",
            "RFC 3986 §6.2.3: empty port dropped",
            "http://r.example:/x",
            "http://r.example/x",
        ),
        n(
            "other-port",
            "a non-default port stays",
            "http://r.example:8080/x",
            "http://r.example:8080/x",
        ),
        n(
            "empty-path",
            "RFC 3986 §6.2.3: empty path is /",
            "https://r.example",
            "https://r.example/",
        ),
        n(
            "query-fragment",
            "RFC 9449 §4.3: query and fragment removed",
            "https://r.example/x?a=/b#c",
            "https://r.example/x",
        ),
        n(
            "dot-segments",
            "RFC 3986 §5.2.4: remove_dot_segments",
            "https://r.example/a/./b/../c/",
            "https://r.example/a/c/",
        ),
        n(
            "escapes",
            "RFC 3986 §6.2.2.1–2: uppercase escapes, decode unreserved",
            "https://r.example/%7euser/%2f%41",
            "https://r.example/~user/%2FA",
        ),
        bad("relative", "an absolute URI is required", "/x"),
        bad("other-scheme", "http and https only", "ftp://r.example/x"),
        bad("userinfo", "no userinfo", "https://user@r.example/x"),
        bad(
            "bad-escape",
            "malformed percent-encoding",
            "https://r.example/%zz",
        ),
        bad(
            "space",
            "characters outside RFC 3986",
            "https://r.example/a b",
        ),
        bad("non-ascii", "ASCII only", "https://r.example/é"),
    ]
}

pub fn replay_cases() -> Vec<Case> {
    let secret = b64::encode(&[5u8; 32]);
    let c = |id: &str, title: &str, capacity: u32, inserts: Value, out: Value| {
        ok(
            &format!("replay-cache/{id}"),
            title,
            json!({"capacity": capacity, "secret": secret, "inserts": inserts}),
            json!({"results": out}),
        )
    };
    vec![
        c(
            "replay-until-expiry",
            "specs §3.3 step 11: (sender, jti) refused until it expires",
            10,
            json!([
                ["a", "j", 100, 0],
                ["a", "j", 100, 50],
                ["b", "j", 100, 50],
                ["a", "j", 200, 100]
            ]),
            json!(["ok", "replayed", "ok", "ok"]),
        ),
        c(
            "sender-jti-separated",
            "the sender and jti are length-prefixed: (\"ab\",\"c\") is not (\"a\",\"bc\")",
            10,
            json!([["ab", "c", 100, 0], ["a", "bc", 100, 0]]),
            json!(["ok", "ok"]),
        ),
        c(
            "evict-oldest-reported",
            "bounded: the oldest entry leaves first and a live eviction is reported",
            2,
            json!([
                ["s", "1", 10, 0],
                ["s", "2", 1000, 0],
                ["s", "3", 1000, 20],
                ["s", "4", 1000, 20],
                ["s", "2", 1000, 21]
            ]),
            json!(["ok", "ok", "ok", "evicted-live", "evicted-live"]),
        ),
        ok(
            "replay-cache/zero-capacity",
            "capacity at least 1",
            json!({"capacity": 0, "secret": secret, "inserts": []}),
            json!({"results": []}),
        )
        .pipe_err("invalid-argument"),
        ok(
            "replay-cache/short-secret",
            "the fingerprint secret is at least 32 bytes",
            json!({"capacity": 1, "secret": b64::encode(&[1u8; 8]), "inserts": []}),
            json!({"results": []}),
        )
        .pipe_err("invalid-argument"),
    ]
}

trait PipeErr {
    fn pipe_err(self, code: &str) -> Case;
}
impl PipeErr for Case {
    fn pipe_err(self, code: &str) -> Case {
        err(&self.id, &self.title, self.input, code)
    }
}

/// The same ES256 JWS with `s` replaced by `n - s` (P-256 group order `n`).
pub(crate) fn high_s_twin(token: &str) -> String {
    const N: [u8; 32] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63,
        0x25, 0x51,
    ];
    let mut sig = b64::decode(segment(token, 2)).unwrap();
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(N[i]) - i16::from(sig[32 + i]) - borrow;
        borrow = i16::from(d < 0);
        sig[32 + i] = d.rem_euclid(256) as u8;
    }
    assert_eq!(borrow, 0);
    replace_segment(token, 2, &b64::encode(&sig))
}
