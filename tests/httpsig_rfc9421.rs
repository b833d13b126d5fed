//! RFC 9421 Appendix B (and §3 / §2 examples): byte-exact signature bases, verification of
//! every signed example, deterministic re-signing, and the verifier's refusals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use a2a_auth::crypto::{Algorithm, Jwk, KeyPair, sha256};
use a2a_auth::httpsig::{
    FieldType, HttpSigAlgorithm, Message, Request, Response, SignatureParams, VerificationKey,
    VerifyPolicy, sign, signature_base, verify,
};
use a2a_auth::proof::ReplayCache;
use a2a_auth::{Error, Limits, UnixTime};

const CREATED: u64 = 1_618_884_473;
const REQ_DIGEST: &str = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
const RESP_DIGEST: &str = "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:";
const REQ_BODY: &[u8] = br#"{"hello": "world"}"#;
const RESP_BODY: &[u8] = br#"{"message": "good dog"}"#;
const RSA_PSS: &str = r#"{"kty":"RSA","e":"AQAB","n":"r4tmm3r20Wd_PbqvP1s2-QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct-Lh1GH45x28Rw3Ry53mm-oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHqgDsznjPFmTOtCEcN2Z1FpWgchwuYLPL-Wokqltd11nqqzi-bJ9cvSKADYdUAAN5WUtzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4aOT9v6d-nb4bnNkQVklLQ3fVAvJm-xdDOp9LCNCN48V2pnDOkFV6-U9nV5oyc6XI2w"}"#;
const ECC_P256: &str = r#"{"kty":"EC","crv":"P-256","d":"UpuF81l-kOxbjf7T4mNSv0r5tN67Gim7rnf6EFpcYDs","x":"qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA","y":"Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0"}"#;
const ED25519: &str = r#"{"kty":"OKP","crv":"Ed25519","d":"n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}"#;
/// test-shared-secret, the 64 decoded bytes as base64url.
const HMAC: &str = r#"{"kty":"oct","k":"uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ"}"#;

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn request_headers(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v = h(&[
        ("Host", "example.com"),
        ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
        ("Content-Type", "application/json"),
        ("Content-Digest", REQ_DIGEST),
        ("Content-Length", "18"),
    ]);
    v.extend(h(extra));
    v
}

fn request(headers: &[(String, String)]) -> Message<'_> {
    Message::Request(Request {
        method: "POST",
        target_uri: "https://example.com/foo?param=Value&Pet=dog",
        headers,
        trailers: &[],
    })
}

fn jwk(text: &str) -> Jwk {
    Jwk::from_json(text, &Limits::DEFAULT).unwrap()
}

fn key(id: &str, text: &str, alg: HttpSigAlgorithm) -> VerificationKey {
    VerificationKey {
        keyid: Some(id.to_owned()),
        key: jwk(text),
        alg,
    }
}

fn all_keys() -> Vec<VerificationKey> {
    vec![
        key("test-key-rsa-pss", RSA_PSS, HttpSigAlgorithm::RsaPssSha512),
        key(
            "test-key-ecc-p256",
            ECC_P256,
            HttpSigAlgorithm::EcdsaP256Sha256,
        ),
        key("test-key-ed25519", ED25519, HttpSigAlgorithm::Ed25519),
        key("test-shared-secret", HMAC, HttpSigAlgorithm::HmacSha256),
    ]
}

fn lenient() -> VerifyPolicy {
    VerifyPolicy {
        max_age: None,
        require_digest_for_body: false,
        ..VerifyPolicy::default()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Case {
    label: &'static str,
    input: &'static str,
    signature: &'static str,
    base: &'static str,
    base_sha256: &'static str,
}

const CASES: [Case; 6] = [
    Case {
        label: "sig-b21",
        input: r#"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
        signature: "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:",
        base: r#""@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
        base_sha256: "f1203cf63332f016993ca3ff7aa06e65bfe86828641ed386cd70dbfc913f7374",
    },
    Case {
        label: "sig-b22",
        input: r#"sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example""#,
        signature: "sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:",
        base: "\"@authority\": example.com\n\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"@query-param\";name=\"Pet\": dog\n\"@signature-params\": (\"@authority\" \"content-digest\" \"@query-param\";name=\"Pet\");created=1618884473;keyid=\"test-key-rsa-pss\";tag=\"header-example\"",
        base_sha256: "583b3f0c08dd5411e7274618358d36d7cd7cd380724d4ed2f8105b435babcae6",
    },
    Case {
        label: "sig-b23",
        input: r#"sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#,
        signature: "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:",
        base: "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@method\": POST\n\"@path\": /foo\n\"@query\": ?param=Value&Pet=dog\n\"@authority\": example.com\n\"content-type\": application/json\n\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"content-length\": 18\n\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\"",
        base_sha256: "d786e78f598692440526474950ca190880abd4e2de8c5c3458b256ec0236de96",
    },
    Case {
        label: "sig-b25",
        input: r#"sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret""#,
        signature: "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:",
        base: "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@authority\": example.com\n\"content-type\": application/json\n\"@signature-params\": (\"date\" \"@authority\" \"content-type\");created=1618884473;keyid=\"test-shared-secret\"",
        base_sha256: "82faed1b67e492cfc8fe50fee1b6fdbdcf9f4d6384af8282339dcad5e44310e7",
    },
    Case {
        label: "sig-b26",
        input: r#"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#,
        signature: "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:",
        base: "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@method\": POST\n\"@path\": /foo\n\"@authority\": example.com\n\"content-type\": application/json\n\"content-length\": 18\n\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"",
        base_sha256: "e6402577f54303accfda63dfbde1a7b8c5e5e6f3f7898637b7d78dc07ee1896a",
    },
    Case {
        label: "sig1",
        input: r#"sig1=("@method" "@authority" "@path" "content-digest" "content-length" "content-type");created=1618884473;keyid="test-key-rsa-pss""#,
        signature: "sig1=:HIbjHC5rS0BYaa9v4QfD4193TORw7u9edguPh0AW3dMq9WImrlFrCGUDih47vAxi4L2YRZ3XMJc1uOKk/J0ZmZ+wcta4nKIgBkKq0rM9hs3CQyxXGxHLMCy8uqK488o+9jrptQ+xFPHK7a9sRL1IXNaagCNN3ZxJsYapFj+JXbmaI5rtAdSfSvzPuBCh+ARHBmWuNo1UzVVdHXrl8ePL4cccqlazIJdC4QEjrF+Sn4IxBQzTZsL9y9TP5FsZYzHvDqbInkTNigBcE9cKOYNFCn4D/WM7F6TNuZO9EgtzepLWcjTymlHzK7aXq6Am6sfOrpIC49yXjj3ae6HRalVc/g==:",
        base: "\"@method\": POST\n\"@authority\": example.com\n\"@path\": /foo\n\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"content-length\": 18\n\"content-type\": application/json\n\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\" \"content-type\");created=1618884473;keyid=\"test-key-rsa-pss\"",
        base_sha256: "9d4e44cd9b2cecd1cfe8b419e8e57aac42c7f4f760b3bd39362b5a81b97d2fb4",
    },
];

fn inner_list(input_member: &str) -> sfv::InnerList {
    let dict: sfv::Dictionary = sfv::Parser::new(input_member).parse().unwrap();
    match dict.into_iter().next().unwrap().1 {
        sfv::ListEntry::InnerList(l) => l,
        sfv::ListEntry::Item(_) => panic!("not an inner list"),
    }
}

#[test]
fn appendix_b_request_cases_bases_are_byte_exact_and_verify() {
    for case in &CASES {
        let headers = request_headers(&[
            ("Signature-Input", case.input),
            ("Signature", case.signature),
        ]);
        let message = request(&headers);
        let base = signature_base(&message, &inner_list(case.input), &[]).unwrap();
        assert_eq!(base, case.base, "{}", case.label);
        assert_eq!(
            hex(&sha256(base.as_bytes())),
            case.base_sha256,
            "{}",
            case.label
        );
        let policy = VerifyPolicy {
            label: Some(case.label.to_owned()),
            ..lenient()
        };
        let v = verify(
            &message,
            Some(REQ_BODY),
            &policy,
            &all_keys(),
            UnixTime(CREATED + 10),
            None,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", case.label));
        assert_eq!(v.label, case.label);
        assert_eq!(v.created, Some(CREATED));
        assert_eq!(v.digest_checked, case.base.contains("content-digest"));
    }
}

#[test]
fn appendix_b_24_response_with_ecdsa_and_digest() {
    let input = r#"sig-b24=("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256""#;
    let sig = "sig-b24=:wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==:";
    let headers = h(&[
        ("Date", "Tue, 20 Apr 2021 02:07:56 GMT"),
        ("Content-Type", "application/json"),
        ("Content-Digest", RESP_DIGEST),
        ("Content-Length", "23"),
        ("Signature-Input", input),
        ("Signature", sig),
    ]);
    let message = Message::Response(
        Response {
            status: 200,
            headers: &headers,
            trailers: &[],
        },
        None,
    );
    let base = signature_base(&message, &inner_list(input), &[]).unwrap();
    assert_eq!(
        hex(&sha256(base.as_bytes())),
        "a44c7b3073f410ccc0fe106b2deddabe48dbd3fcbf04a1965ecbf3b6f8241c3d"
    );
    let v = verify(
        &message,
        Some(RESP_BODY),
        &lenient(),
        &all_keys(),
        UnixTime(CREATED),
        None,
    )
    .unwrap();
    assert!(v.digest_checked);
    // The body changed behind an unchanged, signed Content-Digest: refused (RFC 9421 §7.2.8).
    assert_eq!(
        verify(
            &message,
            Some(b"{\"message\": \"bad dog\"}"),
            &lenient(),
            &all_keys(),
            UnixTime(CREATED),
            None
        )
        .unwrap_err()
        .code(),
        "digest-mismatch"
    );
}

#[test]
fn deterministic_cases_re_sign_identically() {
    let headers = request_headers(&[]);
    let message = request(&headers);
    let ed = KeyPair::from_jwk(ED25519, Some(Algorithm::Ed25519), &Limits::DEFAULT).unwrap();
    let params = SignatureParams::new()
        .created(UnixTime(CREATED))
        .string("keyid", "test-key-ed25519")
        .unwrap();
    let signed = sign(
        &message,
        "sig-b26",
        &[
            "date",
            "@method",
            "@path",
            "@authority",
            "content-type",
            "content-length",
        ],
        &params,
        &ed,
        &[],
    )
    .unwrap();
    assert_eq!(signed.signature_input, CASES[4].input);
    assert_eq!(signed.signature, CASES[4].signature);
    let hmac = KeyPair::from_jwk(HMAC, Some(Algorithm::Hs256), &Limits::DEFAULT).unwrap();
    let params = SignatureParams::new()
        .created(UnixTime(CREATED))
        .string("keyid", "test-shared-secret")
        .unwrap();
    let signed = sign(
        &message,
        "sig-b25",
        &["date", "@authority", "content-type"],
        &params,
        &hmac,
        &[],
    )
    .unwrap();
    assert_eq!(signed.signature, CASES[3].signature);
    // ECDSA (RFC 6979 here) round-trips through our verifier.
    let ec = KeyPair::from_jwk(ECC_P256, Some(Algorithm::Es256), &Limits::DEFAULT).unwrap();
    let params = SignatureParams::new()
        .created(UnixTime(CREATED))
        .string("keyid", "test-key-ecc-p256")
        .unwrap();
    let signed = sign(
        &message,
        "mine",
        &["@method", "@target-uri", "content-digest"],
        &params,
        &ec,
        &[],
    )
    .unwrap();
    let headers = request_headers(&[
        ("Signature-Input", &signed.signature_input),
        ("Signature", &signed.signature),
    ]);
    verify(
        &request(&headers),
        Some(REQ_BODY),
        &lenient(),
        &all_keys(),
        UnixTime(CREATED),
        None,
    )
    .unwrap();
}

#[test]
fn component_values_from_section_2() {
    let headers = h(&[
        ("Host", "www.example.com"),
        ("X-OWS-Header", "   Leading and trailing whitespace.   "),
        ("X-Obs-Fold-Header", "Obsolete\r\n    line folding."),
        ("Cache-Control", "max-age=60"),
        ("Cache-Control", "   must-revalidate"),
        ("Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c)"),
        ("X-Empty-Header", ""),
        ("Example-Header", "value, with, lots"),
        ("Example-Header", "of, commas"),
    ]);
    let message = Message::Request(Request {
        method: "POST",
        target_uri: "https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman",
        headers: &headers,
        trailers: &[],
    });
    let types = [("example-dict", FieldType::Dictionary)];
    let line = |c: &str| {
        let list = inner_list(&format!("s=({c})"));
        let base = signature_base(&message, &list, &types).unwrap();
        base.lines().next().unwrap().to_owned()
    };
    assert_eq!(
        line(r#""x-ows-header""#),
        r#""x-ows-header": Leading and trailing whitespace."#
    );
    assert_eq!(
        line(r#""x-obs-fold-header""#),
        r#""x-obs-fold-header": Obsolete line folding."#
    );
    assert_eq!(
        line(r#""cache-control""#),
        r#""cache-control": max-age=60, must-revalidate"#
    );
    assert_eq!(
        line(r#""example-dict""#),
        r#""example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)"#
    );
    assert_eq!(
        line(r#""example-dict";sf"#),
        r#""example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c)"#
    );
    assert_eq!(
        line(r#""example-dict";key="b""#),
        r#""example-dict";key="b": 2;x=1;y=2"#
    );
    assert_eq!(
        line(r#""example-dict";key="c""#),
        r#""example-dict";key="c": (a b c)"#
    );
    assert_eq!(line(r#""x-empty-header""#), "\"x-empty-header\": ");
    assert_eq!(
        line(r#""example-header";bs"#),
        r#""example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:"#
    );
    assert_eq!(
        line(r#""@target-uri""#),
        r#""@target-uri": https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman"#
    );
    assert_eq!(line(r#""@authority""#), r#""@authority": www.example.com"#);
    assert_eq!(line(r#""@scheme""#), r#""@scheme": https"#);
    assert_eq!(
        line(r#""@request-target""#),
        r#""@request-target": /path?param=value&foo=bar&baz=bat%2Dman"#
    );
    assert_eq!(
        line(r#""@query""#),
        r#""@query": ?param=value&foo=bar&baz=bat%2Dman"#
    );
    assert_eq!(
        line(r#""@query-param";name="baz""#),
        r#""@query-param";name="baz": bat-man"#
    );
    assert_eq!(line(r#""@method";req=?0"#), r#""@method";req=?0: POST"#);
    // Refusals: unknown derived name, absent field, key on an unknown dictionary, req on a
    // request, @status on a request, a parameter that does not exist, repeated identifier.
    for bad in [
        r#""@nope""#,
        r#""x-absent""#,
        r#""x-ows-header";key="a""#,
        r#""@method";req"#,
        r#""@status""#,
        r#""date";zz"#,
        r#""host" "host""#,
        r#""@signature-params""#,
        r#""example-header";bs;sf"#,
        r#""@query-param""#,
    ] {
        let list = inner_list(&format!("s=({bad})"));
        assert!(
            matches!(
                signature_base(&message, &list, &types),
                Err(Error::InvalidComponent(_))
            ),
            "{bad}"
        );
    }
}

#[test]
fn verifier_refusals_each_with_one_code() {
    let good = &CASES[4]; // sig-b26, ed25519
    let at = UnixTime(CREATED + 10);
    let run = |headers: &[(String, String)], policy: &VerifyPolicy, body: Option<&[u8]>| {
        verify(&request(headers), body, policy, &all_keys(), at, None)
            .map(|_| ())
            .map_err(|e| e.code())
    };
    let with =
        |input: &str, sig: &str| request_headers(&[("Signature-Input", input), ("Signature", sig)]);
    let headers = with(good.input, good.signature);
    assert_eq!(run(&headers, &lenient(), None), Ok(()));
    // No signature at all / a label that is not there.
    assert_eq!(
        run(&request_headers(&[]), &lenient(), None),
        Err("credential-missing")
    );
    let other_label = VerifyPolicy {
        label: Some("nope".into()),
        ..lenient()
    };
    assert_eq!(run(&headers, &other_label, None), Err("credential-missing"));
    // Duplicated label across field lines.
    let dup = request_headers(&[
        ("Signature-Input", good.input),
        ("Signature-Input", good.input),
        ("Signature", good.signature),
    ]);
    assert_eq!(run(&dup, &lenient(), None), Err("malformed-http-signature"));
    // Signature-Input member not an inner list; Signature not a byte sequence.
    assert_eq!(
        run(&with("sig-b26=1", good.signature), &lenient(), None),
        Err("malformed-http-signature")
    );
    assert_eq!(
        run(&with(good.input, "sig-b26=1"), &lenient(), None),
        Err("malformed-http-signature")
    );
    // A tampered covered field.
    let mut tampered = headers.clone();
    tampered[1].1 = "Tue, 20 Apr 2021 02:07:56 GMT".into();
    assert_eq!(run(&tampered, &lenient(), None), Err("invalid-signature"));
    // Policy: required component, required/forbidden params, age, future, expires.
    let needs_query = VerifyPolicy {
        required_components: vec!["@query".into()],
        ..lenient()
    };
    assert_eq!(
        run(&headers, &needs_query, None),
        Err("component-not-covered")
    );
    let needs_nonce = VerifyPolicy {
        required_params: vec!["nonce".into()],
        ..lenient()
    };
    assert_eq!(run(&headers, &needs_nonce, None), Err("claim-missing"));
    let no_keyid = VerifyPolicy {
        forbidden_params: vec!["keyid".into()],
        ..lenient()
    };
    assert_eq!(run(&headers, &no_keyid, None), Err("claim-invalid"));
    let fresh = VerifyPolicy {
        max_age: Some(5),
        ..lenient()
    };
    assert_eq!(run(&headers, &fresh, None), Err("token-too-old"));
    let early = verify(
        &request(&headers),
        None,
        &lenient(),
        &all_keys(),
        UnixTime(CREATED - 61),
        None,
    )
    .unwrap_err();
    assert_eq!(early.code(), "token-issued-in-future");
    // A body with no covered digest, when the policy asks for one.
    let strict_body = VerifyPolicy {
        require_digest_for_body: true,
        ..lenient()
    };
    assert_eq!(
        run(&headers, &strict_body, Some(REQ_BODY)),
        Err("component-not-covered")
    );
    // Algorithm: not allowed by policy; an `alg` parameter that disagrees with the key.
    let no_ed = VerifyPolicy {
        algorithms: vec![HttpSigAlgorithm::EcdsaP256Sha256],
        ..lenient()
    };
    assert_eq!(run(&headers, &no_ed, None), Err("alg-not-allowed"));
    // Unknown keyid.
    let unknown = r#"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="who""#;
    assert_eq!(
        run(&with(unknown, good.signature), &lenient(), None),
        Err("key-not-found")
    );
    // Content-Digest covered and the body changed.
    let b23 = &CASES[2];
    assert_eq!(
        run(&with(b23.input, b23.signature), &lenient(), Some(b"{}")),
        Err("digest-mismatch")
    );
    // Two signatures with the selecting tag are ambiguous.
    let b22 = &CASES[1];
    let two = request_headers(&[
        ("Signature-Input", b22.input),
        ("Signature-Input", &b22.input.replace("sig-b22", "sig-b22x")),
        ("Signature", b22.signature),
        ("Signature", &b22.signature.replace("sig-b22", "sig-b22x")),
    ]);
    let by_tag = VerifyPolicy {
        tag: Some("header-example".into()),
        ..lenient()
    };
    assert_eq!(
        run(&two, &by_tag, Some(REQ_BODY)),
        Err("malformed-http-signature")
    );
}

#[test]
fn nonce_replay_is_refused() {
    let b21 = &CASES[0];
    let headers = request_headers(&[("Signature-Input", b21.input), ("Signature", b21.signature)]);
    let mut cache = ReplayCache::new(16, &[3; 32]).unwrap();
    let policy = VerifyPolicy {
        max_age: Some(300),
        ..lenient()
    };
    let at = UnixTime(CREATED + 1);
    verify(
        &request(&headers),
        None,
        &policy,
        &all_keys(),
        at,
        Some(&mut cache),
    )
    .unwrap();
    assert_eq!(
        verify(
            &request(&headers),
            None,
            &policy,
            &all_keys(),
            at,
            Some(&mut cache)
        )
        .unwrap_err(),
        Error::Replayed
    );
}
