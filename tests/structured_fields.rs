//! The structured-field rules that matter for RFC 9421 and RFC 9530 (specs §3.2, §3.5), run
//! against the `sfv` parser/serializer this library uses, in RFC 8941 mode, and through the
//! public signature-base and digest APIs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use a2a_auth::httpsig::{FieldType, Message, Request, signature_base, verify_content_digest};
use sfv::{FieldType as _, Parser, Version};

fn dict(text: &str) -> Option<String> {
    Parser::new(text)
        .with_version(Version::Rfc8941)
        .parse::<sfv::Dictionary>()
        .ok()
        .map(|d| d.serialize().unwrap_or_default())
}

#[test]
fn dictionaries_as_signature_fields_use_them() {
    // Valid, with their strict serialization.
    for (input, canonical) in [
        (
            r#"sig1=("@method" "@path");created=1;keyid="k""#,
            r#"sig1=("@method" "@path");created=1;keyid="k""#,
        ),
        (
            r#"  sig1=( "@method"   "@path" );created=1"#,
            r#"sig1=("@method" "@path");created=1"#,
        ),
        ("sig1=();created=1", "sig1=();created=1"),
        (
            "a=1,   b=2;x=1;y=2,   c=(a   b   c)",
            "a=1, b=2;x=1;y=2, c=(a b c)",
        ),
        ("a=1;  x=2", "a=1;x=2"),
        (
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
        ),
        ("d, e;x", "d, e;x"),
        ("r=?1;req", "r;req"),
        ("n=-5, m=1.5", "n=-5, m=1.5"),
        ("t=token/x:y", "t=token/x:y"),
    ] {
        assert_eq!(dict(input).as_deref(), Some(canonical), "{input}");
    }
    // Invalid: uppercase key, whitespace around '=', tabs inside an inner list, url-safe
    // base64, trailing comma, leading '+', more than 15 integer digits, an unterminated
    // string, a bad escape, whitespace before ';', RFC 9651 dates in RFC 8941 mode.
    for input in [
        "Sig1=()",
        "sig1 =()",
        "sig1= ()",
        "sig1=(\"a\"\t\"b\")",
        "d=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE-:",
        "a=1,",
        "a=+1",
        "a=1234567890123456",
        "a=\"open",
        "a=\"\\x\"",
        "a=1 ;x",
        "a=@1659578233",
    ] {
        assert_eq!(dict(input), None, "{input:?} must fail");
    }
}

#[test]
fn strict_serialisation_through_the_signature_base() {
    let headers = vec![
        (
            "Example-Dict".to_owned(),
            " a=1,    b=2;x=1;y=2,   c=(a   b   c), d".to_owned(),
        ),
        ("Priority".to_owned(), "u=1, i".to_owned()),
        ("Priority".to_owned(), "u=3".to_owned()),
    ];
    let message = Message::Request(Request {
        method: "GET",
        target_uri: "https://example.com/",
        headers: &headers,
        trailers: &[],
    });
    let types = [("example-dict", FieldType::Dictionary)];
    let first_line = |c: &str| {
        let d: sfv::Dictionary = Parser::new(&format!("s=({c})")).parse().unwrap();
        let sfv::ListEntry::InnerList(il) = d.into_values().next().unwrap() else {
            panic!()
        };
        signature_base(&message, &il, &types).map(|b| b.lines().next().unwrap().to_owned())
    };
    assert_eq!(
        first_line(r#""example-dict";key="d""#).unwrap(),
        r#""example-dict";key="d": ?1"#
    );
    assert_eq!(
        first_line(r#""example-dict";key="a""#).unwrap(),
        r#""example-dict";key="a": 1"#
    );
    // Lines are combined before parsing (a later duplicate key wins, in its first position).
    assert_eq!(
        first_line(r#""priority";sf"#).unwrap(),
        r#""priority";sf: u=3, i"#
    );
    assert!(first_line(r#""example-dict";key="z""#).is_err());
}

#[test]
fn digest_fields_are_dictionaries_of_byte_sequences() {
    let body = br#"{"hello": "world"}"#;
    verify_content_digest(
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
        body,
    )
    .unwrap();
    // Missing padding is accepted by SF parsers (specs §3.2); the bytes still must match.
    verify_content_digest(
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE:",
        body,
    )
    .unwrap();
    // RFC 3230 style (`SHA-256=base64`) is not a structured field of ours.
    assert!(
        verify_content_digest("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", body)
            .is_err()
    );
    // Two lines combined into one dictionary.
    verify_content_digest(
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
        body,
    )
    .unwrap();
}
