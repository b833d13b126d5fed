//! Vectors for `httpsig.*`: RFC 9421 Appendix B and §2 examples (byte-exact bases, verify,
//! deterministic re-signing), RFC 9530 digests, and the WIMSE profile (specs §4, §7.F).

use super::*;

const CREATED: u64 = 1_618_884_473;
const REQ_DIGEST: &str = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
const RESP_DIGEST: &str = "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:";
const REQ_BODY: &str = r#"{"hello": "world"}"#;
const RESP_BODY: &str = r#"{"message": "good dog"}"#;
const RSA_PSS: &str = r#"{"kty":"RSA","e":"AQAB","n":"r4tmm3r20Wd_PbqvP1s2-QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct-Lh1GH45x28Rw3Ry53mm-oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHqgDsznjPFmTOtCEcN2Z1FpWgchwuYLPL-Wokqltd11nqqzi-bJ9cvSKADYdUAAN5WUtzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4aOT9v6d-nb4bnNkQVklLQ3fVAvJm-xdDOp9LCNCN48V2pnDOkFV6-U9nV5oyc6XI2w"}"#;
const ECC_P256: &str = r#"{"kty":"EC","crv":"P-256","d":"UpuF81l-kOxbjf7T4mNSv0r5tN67Gim7rnf6EFpcYDs","x":"qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA","y":"Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0"}"#;
const ED25519: &str = r#"{"kty":"OKP","crv":"Ed25519","d":"n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}"#;
const RSA_V15: &str = r#"{"kty":"RSA","e":"AQAB","n":"hAKYdtoeoy8zcAcR874L8cnZxKzAGwd7v36APp7Pv6Q2jdsPBRrwWEBnez6d0UDKDwGbc6nxfEXAy5mbhgajzrw3MOEt8uA5txSKobBpKDeBLOsdJKFqMGmXCQvEG7YemcxDTRPxAleIAgYYRjTSd_QBwVW9OwNFhekro3RtlinV0a75jfZgkne_YiktSvLG34lw2zqXBDTC5NHROUqGTlML4PlNZS5Ri2U4aCNx2rUPRcKIlE0PuKxI4T-HIaFpv8-rdV6eUgOrB2xeI1dSFFn_nnv5OoZJEIB-VmuKn3DCUcCZSFlQPSXSfBDiUGhwOw76WuSSsf1D4b_vLoJ10w"}"#;
const HMAC: &str = r#"{"kty":"oct","k":"uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ"}"#;

fn pairs(p: &[(&str, &str)]) -> Value {
    Value::Array(p.iter().map(|(n, v)| json!([n, v])).collect())
}

fn test_request(extra: &[(&str, &str)]) -> Value {
    let mut h = vec![
        ("Host", "example.com"),
        ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
        ("Content-Type", "application/json"),
        ("Content-Digest", REQ_DIGEST),
        ("Content-Length", "18"),
    ];
    h.extend_from_slice(extra);
    json!({"method": "POST", "target_uri": "https://example.com/foo?param=Value&Pet=dog", "headers": pairs(&h)})
}

fn test_response(extra: &[(&str, &str)]) -> Value {
    let mut h = vec![
        ("Date", "Tue, 20 Apr 2021 02:07:56 GMT"),
        ("Content-Type", "application/json"),
        ("Content-Digest", RESP_DIGEST),
        ("Content-Length", "23"),
    ];
    h.extend_from_slice(extra);
    json!({"status": 200, "headers": pairs(&h)})
}

fn public_part(private: &str) -> Value {
    let mut v: Value = serde_json::from_str(private).unwrap();
    v.as_object_mut().unwrap().remove("d");
    v
}

fn rfc_keys() -> String {
    to_compact(&json!([
        {"keyid": "test-key-rsa-pss", "alg": "rsa-pss-sha512", "jwk": public_part(RSA_PSS)},
        {"keyid": "test-key-ecc-p256", "alg": "ecdsa-p256-sha256", "jwk": public_part(ECC_P256)},
        {"keyid": "test-key-ed25519", "alg": "ed25519", "jwk": public_part(ED25519)},
        {"keyid": "test-shared-secret", "alg": "hmac-sha256", "jwk": serde_json::from_str::<Value>(HMAC).unwrap()},
        {"keyid": "test-key-rsa", "alg": "rsa-v1_5-sha256", "jwk": serde_json::from_str::<Value>(RSA_V15).unwrap()},
    ]))
}

struct Rfc {
    label: &'static str,
    input: &'static str,
    signature: &'static str,
    base: &'static str,
}

const B21: Rfc = Rfc {
    label: "sig-b21",
    input: r#"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
    signature: "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:",
    base: r#""@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
};
const B22: Rfc = Rfc {
    label: "sig-b22",
    input: r#"sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example""#,
    signature: "sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:",
    base: "\"@authority\": example.com\n\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"@query-param\";name=\"Pet\": dog\n\"@signature-params\": (\"@authority\" \"content-digest\" \"@query-param\";name=\"Pet\");created=1618884473;keyid=\"test-key-rsa-pss\";tag=\"header-example\"",
};
const B23: Rfc = Rfc {
    label: "sig-b23",
    input: r#"sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#,
    signature: "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:",
    base: "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@method\": POST\n\"@path\": /foo\n\"@query\": ?param=Value&Pet=dog\n\"@authority\": example.com\n\"content-type\": application/json\n\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"content-length\": 18\n\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\"",
};
const B24: Rfc = Rfc {
    label: "sig-b24",
    input: r#"sig-b24=("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256""#,
    signature: "sig-b24=:wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==:",
    base: "\"@status\": 200\n\"content-type\": application/json\n\"content-digest\": sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:\n\"content-length\": 23\n\"@signature-params\": (\"@status\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-ecc-p256\"",
};
const B25: Rfc = Rfc {
    label: "sig-b25",
    input: r#"sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret""#,
    signature: "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:",
    base: "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@authority\": example.com\n\"content-type\": application/json\n\"@signature-params\": (\"date\" \"@authority\" \"content-type\");created=1618884473;keyid=\"test-shared-secret\"",
};
const B26: Rfc = Rfc {
    label: "sig-b26",
    input: r#"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#,
    signature: "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:",
    base: "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@method\": POST\n\"@path\": /foo\n\"@authority\": example.com\n\"content-type\": application/json\n\"content-length\": 18\n\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"",
};
const SIG1: Rfc = Rfc {
    label: "sig1",
    input: r#"sig1=("@method" "@authority" "@path" "content-digest" "content-length" "content-type");created=1618884473;keyid="test-key-rsa-pss""#,
    signature: "sig1=:HIbjHC5rS0BYaa9v4QfD4193TORw7u9edguPh0AW3dMq9WImrlFrCGUDih47vAxi4L2YRZ3XMJc1uOKk/J0ZmZ+wcta4nKIgBkKq0rM9hs3CQyxXGxHLMCy8uqK488o+9jrptQ+xFPHK7a9sRL1IXNaagCNN3ZxJsYapFj+JXbmaI5rtAdSfSvzPuBCh+ARHBmWuNo1UzVVdHXrl8ePL4cccqlazIJdC4QEjrF+Sn4IxBQzTZsL9y9TP5FsZYzHvDqbInkTNigBcE9cKOYNFCn4D/WM7F6TNuZO9EgtzepLWcjTymlHzK7aXq6Am6sfOrpIC49yXjj3ae6HRalVc/g==:",
    base: "\"@method\": POST\n\"@authority\": example.com\n\"@path\": /foo\n\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"content-length\": 18\n\"content-type\": application/json\n\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\" \"content-type\");created=1618884473;keyid=\"test-key-rsa-pss\"",
};

pub fn signature_base_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (rfc, section) in [
        (&B21, "B.2.1"),
        (&B22, "B.2.2"),
        (&B23, "B.2.3"),
        (&B25, "B.2.5"),
        (&B26, "B.2.6"),
        (&SIG1, "§3.2"),
    ] {
        cases.push(ok(
            &format!("signature-base/rfc9421-{}", rfc.label),
            &format!("RFC 9421 {section}: the byte-exact signature base"),
            json!({"message": to_compact(&test_request(&[])), "signature_input": rfc.input}),
            json!({"base": rfc.base}),
        ));
    }
    cases.push(ok(
        "signature-base/rfc9421-sig-b24",
        "RFC 9421 B.2.4: a response base with @status",
        json!({"message": to_compact(&test_response(&[])), "signature_input": B24.input}),
        json!({"base": B24.base}),
    ));
    let ex = json!({"method": "POST", "target_uri": "https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman", "headers": pairs(&[
        ("Host", "www.example.com"), ("X-OWS-Header", "   Leading and trailing whitespace.   "), ("X-Obs-Fold-Header", "Obsolete\r\n    line folding."),
        ("Cache-Control", "max-age=60"), ("Cache-Control", "   must-revalidate"), ("X-Empty-Header", ""),
        ("Example-Header", "value, with, lots"), ("Example-Header", "of, commas")])});
    let line = |id: &str, title: &str, component: &str, first: &str| {
        let input = format!("s=({component})");
        ok(
            &format!("signature-base/{id}"),
            title,
            json!({"message": to_compact(&ex), "signature_input": input}),
            json!({"base": format!("{first}\n\"@signature-params\": ({component})")}),
        )
    };
    cases.extend([
        line(
            "ows-trimmed",
            "RFC 9421 §2.1: leading and trailing whitespace removed",
            r#""x-ows-header""#,
            r#""x-ows-header": Leading and trailing whitespace."#,
        ),
        line(
            "obs-fold",
            "RFC 9421 §2.1: obsolete line folding becomes one space",
            r#""x-obs-fold-header""#,
            r#""x-obs-fold-header": Obsolete line folding."#,
        ),
        line(
            "repeated-field",
            "RFC 9421 §2.1: repeated fields joined with comma-space",
            r#""cache-control""#,
            r#""cache-control": max-age=60, must-revalidate"#,
        ),
        line(
            "empty-field",
            "RFC 9421 §2.1: an empty field value (the line ends in one space)",
            r#""x-empty-header""#,
            "\"x-empty-header\": ",
        ),
        line(
            "bs",
            "RFC 9421 §2.1.3: bs wraps each field line as a byte sequence",
            r#""example-header";bs"#,
            r#""example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:"#,
        ),
        line(
            "target-uri",
            "RFC 9421 §2.2.2",
            r#""@target-uri""#,
            r#""@target-uri": https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman"#,
        ),
        line(
            "authority",
            "RFC 9421 §2.2.3",
            r#""@authority""#,
            r#""@authority": www.example.com"#,
        ),
        line(
            "scheme",
            "RFC 9421 §2.2.4",
            r#""@scheme""#,
            r#""@scheme": https"#,
        ),
        line(
            "request-target",
            "RFC 9421 §2.2.5",
            r#""@request-target""#,
            r#""@request-target": /path?param=value&foo=bar&baz=bat%2Dman"#,
        ),
        line("path", "RFC 9421 §2.2.6", r#""@path""#, r#""@path": /path"#),
        line(
            "query",
            "RFC 9421 §2.2.7",
            r#""@query""#,
            r#""@query": ?param=value&foo=bar&baz=bat%2Dman"#,
        ),
        line(
            "query-param",
            "RFC 9421 §2.2.8: decoded and re-encoded",
            r#""@query-param";name="baz""#,
            r#""@query-param";name="baz": bat-man"#,
        ),
        line(
            "method",
            "RFC 9421 §2.2.1: the method as sent",
            r#""@method""#,
            r#""@method": POST"#,
        ),
    ]);
    let q = json!({"method": "GET", "target_uri": "https://example.com/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something", "headers": []});
    cases.push(ok("signature-base/query-param-encoding", "RFC 9421 §2.2.8: + is a space, re-encoded %20; uppercase hex; encoded names",
        json!({"message": to_compact(&q), "signature_input": r#"s=("@query-param";name="var" "@query-param";name="bar" "@query-param";name="fa%C3%A7ade%22%3A%20")"#}),
        json!({"base": "\"@query-param\";name=\"var\": this%20is%20a%20big%0Amultiline%20value\n\"@query-param\";name=\"bar\": with%20plus%20whitespace\n\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\": something\n\"@signature-params\": (\"@query-param\";name=\"var\" \"@query-param\";name=\"bar\" \"@query-param\";name=\"fa%C3%A7ade%22%3A%20\")"})));
    cases.push(ok("signature-base/req-serialised-strictly", "RFC 9421 §2.5: ;req=?1 is re-serialised as ;req in the base",
        json!({"message": to_compact(&json!({"status": 503, "headers": [], "request": {"method": "POST", "target_uri": "https://example.com/x", "headers": []}})), "signature_input": r#"s=("@status" "@method";req=?1)"#}),
        json!({"base": "\"@status\": 503\n\"@method\";req: POST\n\"@signature-params\": (\"@status\" \"@method\";req)"})));
    let bad = |id: &str, title: &str, input: &str| {
        err(
            &format!("signature-base/{id}"),
            title,
            json!({"message": to_compact(&ex), "signature_input": input}),
            "invalid-component",
        )
    };
    cases.extend([
        bad(
            "unknown-derived",
            "RFC 9421 §2.5: an unknown derived component",
            r#"s=("@nope")"#,
        ),
        bad(
            "absent-field",
            "RFC 9421 §2.5: a covered field that is absent",
            r#"s=("x-absent")"#,
        ),
        bad(
            "status-on-request",
            "RFC 9421 §2.2.9: @status is for responses",
            r#"s=("@status")"#,
        ),
        bad(
            "req-on-request",
            "RFC 9421 §2.4: req only in a response signature",
            r#"s=("@method";req)"#,
        ),
        bad(
            "unknown-parameter",
            "RFC 9421 §2.1: an unknown component parameter",
            r#"s=("cache-control";zz)"#,
        ),
        bad(
            "repeated-identifier",
            "RFC 9421 §2.5: an identifier listed twice",
            r#"s=("@method" "@method")"#,
        ),
        bad(
            "signature-params-listed",
            "RFC 9421 §2.3: @signature-params is never covered",
            r#"s=("@signature-params")"#,
        ),
        bad(
            "bs-with-sf",
            "RFC 9421 §2.1.3: bs with sf",
            r#"s=("example-header";bs;sf)"#,
        ),
        bad(
            "query-param-without-name",
            "RFC 9421 §2.2.8: name is required",
            r#"s=("@query-param")"#,
        ),
        bad(
            "key-on-unknown-type",
            "RFC 9421 §2.1.2: key needs a field known to be a dictionary",
            r#"s=("cache-control";key="a")"#,
        ),
        bad(
            "uppercase-field",
            "RFC 9421 §2.1: field names are lowercase",
            r#"s=("Cache-Control")"#,
        ),
    ]);
    cases.push(err(
        "signature-base/not-an-inner-list",
        "RFC 9421 §4.1: a Signature-Input member is an inner list",
        json!({"message": to_compact(&ex), "signature_input": "s=1"}),
        "malformed-http-signature",
    ));
    cases
}

pub fn verify_cases() -> Vec<Case> {
    let keys = rfc_keys();
    let lenient = |extra: Value| {
        to_compact(&patched(
            &json!({"max_age": 100_000_000u64, "require_digest_for_body": false}),
            extra,
        ))
    };
    let input = |msg: Value, body: Option<&str>, policy: String, now: u64| json!({"message": to_compact(&msg), "body": body, "policy": policy, "keys": keys, "now": now});
    let req =
        |rfc: &Rfc| test_request(&[("Signature-Input", rfc.input), ("Signature", rfc.signature)]);
    let okv = |rfc: &Rfc, components: Value, digest: bool, extra: Value| json!({"label": rfc.label, "components": components, "keyid": extra["keyid"], "tag": extra["tag"], "nonce": extra["nonce"], "created": CREATED, "expires": null, "digest_checked": digest});
    let mut cases = vec![
        ok(
            "verify/rfc9421-b21",
            "RFC 9421 B.2.1: rsa-pss-sha512, nothing covered but the parameters",
            input(req(&B21), Some(REQ_BODY), lenient(json!({})), CREATED),
            okv(
                &B21,
                json!([]),
                false,
                json!({"keyid": "test-key-rsa-pss", "nonce": "b3k2pp5k7z-50gnwp.yemd"}),
            ),
        ),
        ok(
            "verify/rfc9421-b22",
            "RFC 9421 B.2.2: @query-param and content-digest (checked against the body)",
            input(req(&B22), Some(REQ_BODY), lenient(json!({})), CREATED),
            okv(
                &B22,
                json!([
                    "\"@authority\"",
                    "\"content-digest\"",
                    "\"@query-param\";name=\"Pet\""
                ]),
                true,
                json!({"keyid": "test-key-rsa-pss", "tag": "header-example"}),
            ),
        ),
        ok(
            "verify/rfc9421-b23",
            "RFC 9421 B.2.3: full coverage",
            input(req(&B23), Some(REQ_BODY), lenient(json!({})), CREATED),
            okv(
                &B23,
                json!([
                    "\"date\"",
                    "\"@method\"",
                    "\"@path\"",
                    "\"@query\"",
                    "\"@authority\"",
                    "\"content-type\"",
                    "\"content-digest\"",
                    "\"content-length\""
                ]),
                true,
                json!({"keyid": "test-key-rsa-pss"}),
            ),
        ),
        ok(
            "verify/rfc9421-b24",
            "RFC 9421 B.2.4: a response, ecdsa-p256-sha256, with the corrected Content-Digest",
            input(
                test_response(&[("Signature-Input", B24.input), ("Signature", B24.signature)]),
                Some(RESP_BODY),
                lenient(json!({})),
                CREATED,
            ),
            okv(
                &B24,
                json!([
                    "\"@status\"",
                    "\"content-type\"",
                    "\"content-digest\"",
                    "\"content-length\""
                ]),
                true,
                json!({"keyid": "test-key-ecc-p256"}),
            ),
        ),
        ok(
            "verify/rfc9421-b25",
            "RFC 9421 B.2.5: hmac-sha256 with the 64 decoded secret bytes",
            input(req(&B25), None, lenient(json!({})), CREATED),
            okv(
                &B25,
                json!(["\"date\"", "\"@authority\"", "\"content-type\""]),
                false,
                json!({"keyid": "test-shared-secret"}),
            ),
        ),
        ok(
            "verify/rfc9421-b26",
            "RFC 9421 B.2.6: ed25519",
            input(req(&B26), None, lenient(json!({})), CREATED),
            okv(
                &B26,
                json!([
                    "\"date\"",
                    "\"@method\"",
                    "\"@path\"",
                    "\"@authority\"",
                    "\"content-type\"",
                    "\"content-length\""
                ]),
                false,
                json!({"keyid": "test-key-ed25519"}),
            ),
        ),
        ok(
            "verify/rfc9421-sig1",
            "RFC 9421 §3.2: the signed request example",
            input(req(&SIG1), Some(REQ_BODY), lenient(json!({})), CREATED),
            okv(
                &SIG1,
                json!([
                    "\"@method\"",
                    "\"@authority\"",
                    "\"@path\"",
                    "\"content-digest\"",
                    "\"content-length\"",
                    "\"content-type\""
                ]),
                true,
                json!({"keyid": "test-key-rsa-pss"}),
            ),
        ),
        ok(
            "verify/select-by-tag",
            "RFC 9421 §4.3: the signature chosen by tag among several",
            input(
                test_request(&[
                    ("Signature-Input", B26.input),
                    ("Signature-Input", B22.input),
                    ("Signature", B26.signature),
                    ("Signature", B22.signature),
                ]),
                Some(REQ_BODY),
                lenient(json!({"tag": "header-example"})),
                CREATED,
            ),
            okv(
                &B22,
                json!([
                    "\"@authority\"",
                    "\"content-digest\"",
                    "\"@query-param\";name=\"Pet\""
                ]),
                true,
                json!({"keyid": "test-key-rsa-pss", "tag": "header-example"}),
            ),
        ),
    ];
    let bad =
        |id: &str, title: &str, i: Value, code: &str| err(&format!("verify/{id}"), title, i, code);
    let b26 = req(&B26);
    cases.extend([
        bad(
            "no-signature",
            "RFC 9421 §3.2: no Signature / Signature-Input",
            input(test_request(&[]), None, lenient(json!({})), CREATED),
            "credential-missing",
        ),
        bad(
            "label-absent",
            "RFC 9421 §3.2 step 1: the policy's label is not there",
            input(
                b26.clone(),
                None,
                lenient(json!({"label": "nope"})),
                CREATED,
            ),
            "credential-missing",
        ),
        bad(
            "label-only-in-input",
            "RFC 9421 §3.2: a label in Signature-Input but not in Signature",
            input(
                test_request(&[("Signature-Input", B26.input), ("Signature", B25.signature)]),
                None,
                lenient(json!({})),
                CREATED,
            ),
            "credential-missing",
        ),
        bad(
            "duplicate-label",
            "specs §1.8: labels are unique across field lines",
            input(
                test_request(&[
                    ("Signature-Input", B26.input),
                    ("Signature-Input", B26.input),
                    ("Signature", B26.signature),
                ]),
                None,
                lenient(json!({})),
                CREATED,
            ),
            "malformed-http-signature",
        ),
        bad(
            "input-not-inner-list",
            "RFC 9421 §4.1: the member is an inner list",
            input(
                test_request(&[
                    ("Signature-Input", "sig-b26=1"),
                    ("Signature", B26.signature),
                ]),
                None,
                lenient(json!({})),
                CREATED,
            ),
            "malformed-http-signature",
        ),
        bad(
            "signature-not-bytes",
            "RFC 9421 §4.2: the member is a byte sequence",
            input(
                test_request(&[
                    ("Signature-Input", B26.input),
                    ("Signature", "sig-b26=\"abc\""),
                ]),
                None,
                lenient(json!({})),
                CREATED,
            ),
            "malformed-http-signature",
        ),
        bad(
            "uppercase-label",
            "specs §3.5: sf-keys are lowercase",
            input(
                test_request(&[
                    ("Signature-Input", &B26.input.replace("sig-b26", "Sig-b26")),
                    ("Signature", B26.signature),
                ]),
                None,
                lenient(json!({})),
                CREATED,
            ),
            "malformed-http-signature",
        ),
        bad(
            "tampered-date",
            "RFC 9421 §3.2 step 7: a covered field changed",
            input(
                test_request(&[("Signature-Input", B26.input), ("Signature", B26.signature)])
                    .pipe_date(),
                None,
                lenient(json!({})),
                CREATED,
            ),
            "invalid-signature",
        ),
        bad(
            "method-changed",
            "RFC 9421 §3.2 step 7: @method changed",
            input(
                b26.clone().with_method("PUT"),
                None,
                lenient(json!({})),
                CREATED,
            ),
            "invalid-signature",
        ),
        bad(
            "required-component",
            "specs §1.11 step 3: a required component not covered",
            input(
                b26.clone(),
                None,
                lenient(json!({"required_components": ["@query"]})),
                CREATED,
            ),
            "component-not-covered",
        ),
        bad(
            "body-without-digest",
            "RFC 9421 §7.2.8: a body with no covered Content-Digest when the policy asks",
            input(
                b26.clone(),
                Some(REQ_BODY),
                lenient(json!({"require_digest_for_body": true})),
                CREATED,
            ),
            "component-not-covered",
        ),
        bad(
            "required-param",
            "specs §1.11 step 3: nonce required",
            input(
                b26.clone(),
                None,
                lenient(json!({"required_params": ["created", "nonce"]})),
                CREATED,
            ),
            "claim-missing",
        ),
        bad(
            "forbidden-param",
            "specs §1.11 step 3: keyid forbidden (as in the WIMSE profile)",
            input(
                b26.clone(),
                None,
                lenient(json!({"forbidden_params": ["keyid"]})),
                CREATED,
            ),
            "claim-invalid",
        ),
        bad(
            "too-old",
            "RFC 9421 §3.2.1: created older than max_age",
            input(
                b26.clone(),
                None,
                lenient(json!({"max_age": 300})),
                CREATED + 301,
            ),
            "token-too-old",
        ),
        bad(
            "from-the-future",
            "RFC 9421 §3.2.1: created beyond the skew",
            input(b26.clone(), None, lenient(json!({})), CREATED - 61),
            "token-issued-in-future",
        ),
        bad(
            "alg-not-allowed",
            "specs §1.11 step 5: the key's algorithm is not in the policy",
            input(
                b26.clone(),
                None,
                lenient(json!({"algorithms": ["ecdsa-p256-sha256"]})),
                CREATED,
            ),
            "alg-not-allowed",
        ),
        bad(
            "unknown-keyid",
            "specs §1.11 step 4: no key with that keyid",
            input(
                test_request(&[
                    (
                        "Signature-Input",
                        &B26.input.replace("test-key-ed25519", "who"),
                    ),
                    ("Signature", B26.signature),
                ]),
                None,
                lenient(json!({})),
                CREATED,
            ),
            "key-not-found",
        ),
        bad(
            "digest-mismatch",
            "RFC 9421 §7.2.8: content-digest covered, body changed",
            input(req(&B23), Some("{}"), lenient(json!({})), CREATED),
            "digest-mismatch",
        ),
        bad(
            "digest-mismatch-response",
            "RFC 9530: the response body changed behind its signed digest",
            input(
                test_response(&[("Signature-Input", B24.input), ("Signature", B24.signature)]),
                Some(r#"{"message": "bad dog"}"#),
                lenient(json!({})),
                CREATED,
            ),
            "digest-mismatch",
        ),
        bad(
            "two-with-tag",
            "specs §7.F8: two signatures with the selecting tag",
            input(
                test_request(&[
                    ("Signature-Input", B22.input),
                    ("Signature-Input", &B22.input.replace("sig-b22", "sig-b22x")),
                    ("Signature", B22.signature),
                    ("Signature", &B22.signature.replace("sig-b22", "sig-b22x")),
                ]),
                Some(REQ_BODY),
                lenient(json!({"tag": "header-example"})),
                CREATED,
            ),
            "malformed-http-signature",
        ),
        bad(
            "policy-unknown-member",
            "policies refuse unknown members",
            input(b26.clone(), None, lenient(json!({"maxage": 1})), CREATED),
            "invalid-argument",
        ),
    ]);
    let mut replay = input(
        req(&B21),
        None,
        lenient(json!({"max_age": 300})),
        CREATED + 1,
    );
    replay["repeat"] = json!(2);
    cases.push(bad(
        "nonce-replayed",
        "RFC 9421 §7.2.2: a nonce seen again from the same key",
        replay,
        "replayed",
    ));
    cases
}

trait MsgEdit {
    fn pipe_date(self) -> Value;
    fn with_method(self, m: &str) -> Value;
}
impl MsgEdit for Value {
    fn pipe_date(mut self) -> Value {
        self["headers"][1][1] = json!("Tue, 20 Apr 2021 02:07:56 GMT");
        self
    }
    fn with_method(mut self, m: &str) -> Value {
        self["method"] = json!(m);
        self
    }
}

pub fn sign_cases() -> Vec<Case> {
    let key = |t: &str| serde_json::from_str::<Value>(t).unwrap();
    let input = |msg: Value, label: &str, components: Value, params: Value, k: Value| json!({"message": to_compact(&msg), "label": label, "components": components, "params": to_compact(&params), "key": k});
    let bad =
        |id: &str, title: &str, i: Value, code: &str| err(&format!("sign/{id}"), title, i, code);
    let ed = {
        let mut v = key(ED25519);
        v["alg"] = json!("Ed25519");
        v
    };
    let hm = {
        let mut v = key(HMAC);
        v["alg"] = json!("HS256");
        v
    };
    vec![
        ok(
            "sign/rfc9421-b26",
            "RFC 9421 B.2.6: Ed25519 is deterministic: the same signature",
            input(
                test_request(&[]),
                "sig-b26",
                json!([
                    "date",
                    "@method",
                    "@path",
                    "@authority",
                    "content-type",
                    "content-length"
                ]),
                json!([["created", CREATED], ["keyid", "test-key-ed25519"]]),
                ed.clone(),
            ),
            json!({"signature_input": B26.input, "signature": B26.signature, "base": B26.base}),
        ),
        ok(
            "sign/rfc9421-b25",
            "RFC 9421 B.2.5: HMAC is deterministic: the same signature",
            input(
                test_request(&[]),
                "sig-b25",
                json!(["date", "@authority", "content-type"]),
                json!([["created", CREATED], ["keyid", "test-shared-secret"]]),
                hm,
            ),
            json!({"signature_input": B25.input, "signature": B25.signature, "base": B25.base}),
        ),
        ok(
            "sign/params-order-kept",
            "RFC 9421 §2.3: parameters are serialised in the signer's order, flags bare",
            input(
                test_request(&[]),
                "s",
                json!(["@method", "\"@query-param\";name=\"Pet\""]),
                json!([
                    ["keyid", "k"],
                    ["created", CREATED],
                    ["flag", true],
                    ["expires", CREATED + 60]
                ]),
                ed.clone(),
            ),
            {
                let base = "\"@method\": POST\n\"@query-param\";name=\"Pet\": dog\n\"@signature-params\": (\"@method\" \"@query-param\";name=\"Pet\");keyid=\"k\";created=1618884473;flag;expires=1618884533";
                let kp =
                    KeyPair::from_jwk(&ed.to_string(), None, &a2a_auth::Limits::DEFAULT).unwrap();
                let sig = base64::engine::general_purpose::STANDARD
                    .encode(kp.sign(base.as_bytes()).unwrap());
                json!({"signature_input": "s=(\"@method\" \"@query-param\";name=\"Pet\");keyid=\"k\";created=1618884473;flag;expires=1618884533", "signature": format!("s=:{sig}:"), "base": base})
            },
        ),
        bad(
            "absent-component",
            "RFC 9421 §2.5: a covered field the message lacks",
            input(
                test_request(&[]),
                "s",
                json!(["x-absent"]),
                json!([["created", CREATED]]),
                ed.clone(),
            ),
            "invalid-component",
        ),
        bad(
            "uppercase-label",
            "RFC 9421 §4.1: labels are sf-keys",
            input(
                test_request(&[]),
                "Sig1",
                json!(["@method"]),
                json!([]),
                ed.clone(),
            ),
            "invalid-argument",
        ),
        bad(
            "bad-param-name",
            "RFC 9421 §2.3: parameter names are sf-keys",
            input(
                test_request(&[]),
                "s",
                json!(["@method"]),
                json!([["Created", CREATED]]),
                ed,
            ),
            "invalid-argument",
        ),
    ]
}

use base64::Engine as _;

pub fn digest_cases() -> Vec<Case> {
    let c = |id: &str, title: &str, body: &str, algs: Value, value: &str| {
        ok(
            &format!("content-digest/{id}"),
            title,
            json!({"body": body, "algorithms": algs}),
            json!({"value": value}),
        )
    };
    let v = |id: &str, title: &str, field: &str, body: &str, code: Option<&str>| match code {
        None => ok(
            &format!("verify-content-digest/{id}"),
            title,
            json!({"field": field, "body": body}),
            json!({}),
        ),
        Some(code) => err(
            &format!("verify-content-digest/{id}"),
            title,
            json!({"field": field, "body": body}),
            code,
        ),
    };
    vec![
        c(
            "sha-256",
            "RFC 9530 §B.1: {\"hello\": \"world\"} (no LF)",
            r#"{"hello": "world"}"#,
            json!(["sha-256"]),
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
        ),
        c(
            "sha-512",
            "RFC 9530: sha-512 of the same body",
            r#"{"hello": "world"}"#,
            json!(["sha-512"]),
            "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
        ),
        c(
            "with-lf",
            "RFC 9530 examples hash the body with its trailing LF",
            "{\"hello\": \"world\"}\n",
            json!(["sha-256"]),
            "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:",
        ),
        c(
            "empty-both",
            "RFC 9530 §6.3: an empty body has a meaningful digest",
            "",
            json!(["sha-256", "sha-512"]),
            "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:, sha-512=:z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==:",
        ),
        err(
            "content-digest/md5-refused",
            "RFC 9530 §5: deprecated algorithms are not produced",
            json!({"body": "x", "algorithms": ["md5"]}),
            "invalid-argument",
        ),
        v(
            "matches",
            "RFC 9530: the body matches",
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
            r#"{"hello": "world"}"#,
            None,
        ),
        v(
            "body-changed",
            "RFC 9530: the body does not match",
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
            r#"{"hello": "World"}"#,
            Some("digest-mismatch"),
        ),
        v(
            "only-md5",
            "RFC 9530 §6.6: only a deprecated algorithm is not a digest we accept",
            "md5=:Sd/dVLAcvNLSq16eXua5uQ==:",
            r#"{"hello": "world"}"#,
            Some("digest-mismatch"),
        ),
        v(
            "uppercase-key",
            "RFC 9530: keys are lowercase sf-keys (RFC 3230 style is invalid)",
            "SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
            r#"{"hello": "world"}"#,
            Some("digest-mismatch"),
        ),
        v(
            "one-of-two-wrong",
            "RFC 9530: every supported member must match",
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==:",
            r#"{"hello": "world"}"#,
            Some("digest-mismatch"),
        ),
        v(
            "not-bytes",
            "RFC 9530: the member is a byte sequence",
            "sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"",
            r#"{"hello": "world"}"#,
            Some("digest-mismatch"),
        ),
    ]
}

pub(crate) const SVC_A: &str = r#"{"alg":"EdDSA","crv":"Ed25519","kty":"OKP","d":"HQdG2ekHF4COyoHNYvCh2fMHhIaKvkrStjmyfndFyGI","x":"ZjlVT4COsCkQO9HIo6tDWAXayQ0MymoFUKJRIQ7S8R8"}"#;
pub(crate) const SVC_B: &str = r#"{"alg":"EdDSA","crv":"Ed25519","kty":"OKP","d":"nn132WU82duEPtUbQtoQLqWoC1hKl8zeWavCDIR0VeI","x":"lBtLS8cNt_7pWsdi2xgx760lWpzEvqYe2DpSk9ELH2w"}"#;
const W_NOW: u64 = 1_785_155_797;
const W_TARGET: &str = "https://svcb.example.com/gimme-ice-cream?flavor=vanilla";
const W_AUD: &str = "https://svcb.example.com/gimme-ice-cream";

/// WITs for svcA and svcB from a published issuer key (the draft's was never published).
fn wimse_world(k: &Keys) -> (String, String, String) {
    let wit = |sub: &str, jwk: &str| {
        let kp = KeyPair::from_jwk(jwk, None, &a2a_auth::Limits::DEFAULT).unwrap();
        let mut cnf = public(&kp);
        cnf.as_object_mut().unwrap().remove("kid");
        sign(
            json!({"typ": "wit+jwt"}),
            &json!({"sub": sub, "iat": W_NOW - 60, "exp": W_NOW + 3600, "jti": format!("wit-{sub}"), "cnf": {"jwk": cnf}}),
            &k.es256,
        )
    };
    let store = to_compact(
        &json!({"trust_domains": {"wimse://example.com": {"keys": [bundle_entry(&k.es256, "wit-svid")]}}}),
    );
    (
        wit("wimse://example.com/svcA", SVC_A),
        wit("wimse://example.com/svcB", SVC_B),
        store,
    )
}

pub fn wimse_cases(k: &Keys) -> Vec<Case> {
    let (wit_a, wit_b, store) = wimse_world(k);
    let a = KeyPair::from_jwk(SVC_A, None, &a2a_auth::Limits::DEFAULT).unwrap();
    let b = KeyPair::from_jwk(SVC_B, None, &a2a_auth::Limits::DEFAULT).unwrap();
    let request = |extra: &[(&str, &str)]| {
        let mut h = vec![
            ("Host", "svcb.example.com"),
            ("Workload-Identity-Token", wit_a.as_str()),
        ];
        h.extend_from_slice(extra);
        json!({"method": "GET", "target_uri": W_TARGET, "headers": pairs(&h)})
    };
    // Signatures made here by the core under test would be circular: the bases below are built
    // independently from the RFC 9421 rules and signed with the generator's Ed25519 key.
    let sign_input = |input_member: &str, base: &str, key: &KeyPair| {
        let sig =
            base64::engine::general_purpose::STANDARD.encode(key.sign(base.as_bytes()).unwrap());
        let label = input_member.split('=').next().unwrap();
        format!("{label}=:{sig}:")
    };
    let params = |extra: &str| {
        format!(
            r#"created={W_NOW};expires={};nonce="abcd1111";tag="wimse-workload-to-workload";wimse-aud="{W_AUD}"{extra}"#,
            W_NOW + 300
        )
    };
    let req06_components = r#"("@method" "@request-target" "workload-identity-token")"#;
    let req06_input = format!(
        "wimse={req06_components};{}",
        params(";wimse-sign-response")
    );
    let req06_base = format!(
        "\"@method\": GET\n\"@request-target\": /gimme-ice-cream?flavor=vanilla\n\"workload-identity-token\": {wit_a}\n\"@signature-params\": {req06_components};{}",
        params(";wimse-sign-response")
    );
    let req06_sig = sign_input(&req06_input, &req06_base, &a);
    let req07_components = r#"("@method" "@path" "@query" "workload-identity-token")"#;
    let req07_input = format!("wimse={req07_components};{}", params(""));
    let req07_base = format!(
        "\"@method\": GET\n\"@path\": /gimme-ice-cream\n\"@query\": ?flavor=vanilla\n\"workload-identity-token\": {wit_a}\n\"@signature-params\": {req07_components};{}",
        params("")
    );
    let req07_sig = sign_input(&req07_input, &req07_base, &a);
    let config = to_compact(&json!({"audiences": [W_AUD]}));
    let v_in = |msg: Value, body: Option<&str>, config: &str, now: u64| json!({"message": to_compact(&msg), "body": body, "trust_store": store, "config": config, "now": now});
    let signed06 = request(&[("Signature-Input", &req06_input), ("Signature", &req06_sig)]);
    let signed07 = request(&[("Signature-Input", &req07_input), ("Signature", &req07_sig)]);
    let ok_req = |components: Value, sign_response: bool| {
        json!({"subject": "wimse://example.com/svcA", "trust_domain": "example.com", "label": "wimse", "components": components,
        "nonce": "abcd1111", "created": W_NOW, "expires": W_NOW + 300, "digest_checked": false, "sign_response": sign_response})
    };
    let mut cases = vec![
        ok(
            "sign-wimse-request/draft-06",
            "WIMSE http-sig-06 (specs §6.5 shape): @method @request-target + WIT, wimse-aud, wimse-sign-response; Ed25519 deterministic",
            json!({"message": to_compact(&request(&[])), "body": null, "key": serde_json::from_str::<Value>(SVC_A).unwrap(), "audience": W_TARGET, "now": W_NOW, "lifetime": 300, "nonce": "abcd1111", "version": "draft-06", "sign_response": true}),
            json!({"content_digest": null, "signature_input": req06_input, "signature": req06_sig}),
        ),
        ok(
            "sign-wimse-request/draft-07",
            "WIMSE http-sig-07: @method @path @query (no @authority)",
            json!({"message": to_compact(&request(&[])), "body": null, "key": serde_json::from_str::<Value>(SVC_A).unwrap(), "audience": W_AUD, "now": W_NOW, "lifetime": 300, "nonce": "abcd1111", "version": "draft-07", "sign_response": false}),
            json!({"content_digest": null, "signature_input": req07_input, "signature": req07_sig}),
        ),
        err(
            "sign-wimse-request/no-wit",
            "the request carries its Workload-Identity-Token",
            json!({"message": to_compact(&json!({"method": "GET", "target_uri": W_TARGET, "headers": []})), "body": null, "key": serde_json::from_str::<Value>(SVC_A).unwrap(), "audience": W_AUD, "now": W_NOW, "lifetime": 300, "nonce": "n", "version": "draft-07", "sign_response": false}),
            "invalid-argument",
        ),
        ok(
            "verify-wimse-request/draft-06",
            "specs §4.4: WIT first, then profile, aud, time, signature (draft-06 form)",
            v_in(signed06.clone(), None, &config, W_NOW + 3),
            ok_req(
                json!([
                    "\"@method\"",
                    "\"@request-target\"",
                    "\"workload-identity-token\""
                ]),
                true,
            ),
        ),
        ok(
            "verify-wimse-request/draft-07",
            "specs §4.4 (draft-07 form)",
            v_in(signed07.clone(), None, &config, W_NOW + 3),
            ok_req(
                json!([
                    "\"@method\"",
                    "\"@path\"",
                    "\"@query\"",
                    "\"workload-identity-token\""
                ]),
                false,
            ),
        ),
        ok(
            "verify-wimse-request/host-rewritten",
            "specs N17: Host is not covered; binding comes from wimse-aud",
            v_in(
                {
                    let mut m = signed07.clone();
                    m["headers"][0][1] = json!("other.example");
                    m
                },
                None,
                &config,
                W_NOW + 3,
            ),
            ok_req(
                json!([
                    "\"@method\"",
                    "\"@path\"",
                    "\"@query\"",
                    "\"workload-identity-token\""
                ]),
                false,
            ),
        ),
    ];
    let bad = |id: &str, title: &str, i: Value, code: &str| {
        err(&format!("verify-wimse-request/{id}"), title, i, code)
    };
    // Single-rule breakers: re-sign a modified Signature-Input over the matching base.
    let variant = |components: &str, lines: &str, params_text: &str| {
        let input = format!("wimse={components};{params_text}");
        let base = format!("{lines}\"@signature-params\": {components};{params_text}");
        let sig = sign_input(&input, &base, &a);
        request(&[("Signature-Input", &input), ("Signature", &sig)])
    };
    let lines07 = format!(
        "\"@method\": GET\n\"@path\": /gimme-ice-cream\n\"@query\": ?flavor=vanilla\n\"workload-identity-token\": {wit_a}\n"
    );
    cases.extend([
        bad("untrusted-wit", "specs §7.F1: the WIT is validated first (its trust domain is unknown here)",
            json!({"message": to_compact(&signed07), "body": null, "trust_store": to_compact(&json!({"trust_domains": {}})), "config": config, "now": W_NOW + 3}), "unknown-trust-domain"),
        bad("no-signature", "specs §4.4 step 1: no Signature fields", v_in(request(&[]), None, &config, W_NOW + 3), "credential-missing"),
        bad("aud-not-ours", "specs N18 / §7.F5: wimse-aud not in the configured set", v_in(signed07.clone(), None, &to_compact(&json!({"audiences": ["https://svcb.example.com/other"]})), W_NOW + 3), "claim-mismatch"),
        bad("method-changed", "specs N16: POST instead of GET", v_in({ let mut m = signed07.clone(); m["method"] = json!("POST"); m }, None, &config, W_NOW + 3), "invalid-signature"),
        bad("query-changed", "specs N16: the query changed (covered by @query)", v_in({ let mut m = signed07.clone(); m["target_uri"] = json!("https://svcb.example.com/gimme-ice-cream?flavor=chocolate"); m }, None, &config, W_NOW + 3), "invalid-signature"),
        bad("expired", "specs N21 / §7.F4: after expires plus skew", v_in(signed07.clone(), None, &config, W_NOW + 300 + 60), "token-expired"),
        bad("from-the-future", "specs §7.F4: created beyond the skew", v_in(signed07.clone(), None, &config, W_NOW - 61), "token-issued-in-future"),
        bad("wit-swapped", "specs N26: WIT-B presented with A's signature (another cnf key)",
            v_in({ let mut m = signed07.clone(); m["headers"][1][1] = json!(wit_b); m }, None, &config, W_NOW + 3), "invalid-signature"),
        bad("wit-twice", "specs §7.D7: two Workload-Identity-Token fields", v_in(request(&[("Workload-Identity-Token", wit_a.as_str()), ("Signature-Input", &req07_input), ("Signature", &req07_sig)]), None, &config, W_NOW + 3), "credential-duplicated"),
        bad("path-not-covered", "specs §7.F2: neither @request-target nor @path+@query",
            v_in(variant(r#"("@method" "@query" "workload-identity-token")"#, &format!("\"@method\": GET\n\"@query\": ?flavor=vanilla\n\"workload-identity-token\": {wit_a}\n"), &params("")), None, &config, W_NOW + 3), "component-not-covered"),
        bad("wit-not-covered", "specs §7.F2: a present Workload-Identity-Token is covered",
            v_in(variant(r#"("@method" "@path" "@query")"#, "\"@method\": GET\n\"@path\": /gimme-ice-cream\n\"@query\": ?flavor=vanilla\n", &params("")), None, &config, W_NOW + 3), "component-not-covered"),
        bad("nonce-missing", "specs §7.F3: nonce is required",
            v_in(variant(r#"("@method" "@path" "@query" "workload-identity-token")"#, &lines07, &params("").replace(r#";nonce="abcd1111""#, "")), None, &config, W_NOW + 3), "claim-missing"),
        bad("aud-missing", "specs §7.F3: wimse-aud is required on requests",
            v_in(variant(r#"("@method" "@path" "@query" "workload-identity-token")"#, &lines07, &params("").replace(&format!(r#";wimse-aud="{W_AUD}""#), "")), None, &config, W_NOW + 3), "claim-missing"),
        bad("keyid-present", "specs §7.F3 / §7.H: keyid must not be present",
            v_in(variant(r#"("@method" "@path" "@query" "workload-identity-token")"#, &lines07, &params(r#";keyid="svc-a-key""#)), None, &config, W_NOW + 3), "claim-invalid"),
        bad("alg-present", "specs §7.F3 / N19: alg must not be present",
            v_in(variant(r#"("@method" "@path" "@query" "workload-identity-token")"#, &lines07, &params(r#";alg="ed25519""#)), None, &config, W_NOW + 3), "claim-invalid"),
        bad("wrong-tag", "specs N20: tag other than wimse-workload-to-workload: no WIMSE signature",
            v_in(variant(r#"("@method" "@path" "@query" "workload-identity-token")"#, &lines07, &params("").replace("wimse-workload-to-workload", "other")), None, &config, W_NOW + 3), "credential-missing"),
        bad("expires-before-created", "specs §7.F4: expires < created",
            v_in(variant(r#"("@method" "@path" "@query" "workload-identity-token")"#, &lines07, &params("").replace(&format!("expires={}", W_NOW + 300), &format!("expires={}", W_NOW - 1))), None, &config, W_NOW + 3), "claim-invalid"),
        bad("lifetime-hours", "specs §7.H: expires set to the WIT's hours, not minutes",
            v_in(variant(r#"("@method" "@path" "@query" "workload-identity-token")"#, &lines07, &params("").replace(&format!("expires={}", W_NOW + 300), &format!("expires={}", W_NOW + 3600))), None, &config, W_NOW + 3), "claim-invalid"),
        bad("body-without-digest", "specs §7.F6: a body with no Content-Digest", v_in(signed07.clone(), Some("{\"a\":1}"), &config, W_NOW + 3), "component-not-covered"),
    ]);
    {
        let second_input = req07_input.replace("wimse=", "wimse2=");
        let second_sig = req07_sig.replace("wimse=", "wimse2=");
        cases.push(bad(
            "two-tagged",
            "specs §7.F8 / N25: two signatures tagged for WIMSE",
            v_in(
                request(&[
                    ("Signature-Input", &req07_input),
                    ("Signature-Input", &second_input),
                    ("Signature", &req07_sig),
                    ("Signature", &second_sig),
                ]),
                None,
                &config,
                W_NOW + 3,
            ),
            "malformed-http-signature",
        ));
    }
    let mut replay = v_in(signed07.clone(), None, &config, W_NOW + 3);
    replay["repeat"] = json!(2);
    cases.push(bad(
        "nonce-replayed",
        "specs §7.F7: the same nonce twice from the same sub",
        replay,
        "replayed",
    ));
    // Responses: signed by svcB with its own WIT, bound to the request and its nonce.
    let body = "No ice cream today.\n\n";
    let digest = "sha-256=:UHKweBl9cpjdVqgTB65El8SexXlJYGG+XIslAYqC1mY=:";
    let resp_components = r#"("@status" "workload-identity-token" "content-type" "content-digest" "@method";req "@path";req "@query";req)"#;
    let resp_params = format!(
        r#"created={W_NOW};expires={};nonce="abcd2222";tag="wimse-workload-to-workload";wimse-req-nonce="abcd1111""#,
        W_NOW + 302
    );
    let resp_input = format!("wimse={resp_components};{resp_params}");
    let resp_base = format!(
        "\"@status\": 404\n\"workload-identity-token\": {wit_b}\n\"content-type\": text/plain\n\"content-digest\": {digest}\n\"@method\";req: GET\n\"@path\";req: /gimme-ice-cream\n\"@query\";req: ?flavor=vanilla\n\"@signature-params\": {resp_components};{resp_params}"
    );
    let resp_sig = sign_input(&resp_input, &resp_base, &b);
    let plain_request = json!({"method": "GET", "target_uri": W_TARGET, "headers": pairs(&[("Host", "svcb.example.com"), ("Workload-Identity-Token", wit_a.as_str())])});
    let response = |extra: &[(&str, &str)]| {
        let mut h = vec![
            ("Connection", "close"),
            ("Content-Type", "text/plain"),
            ("Workload-Identity-Token", wit_b.as_str()),
        ];
        h.extend_from_slice(extra);
        json!({"status": 404, "headers": pairs(&h), "request": plain_request})
    };
    let r_in = |msg: Value, body: &str, nonce: &str, now: u64| json!({"message": to_compact(&msg), "body": body, "request_nonce": nonce, "trust_store": store, "config": config, "now": now});
    let signed_resp = response(&[
        ("Content-Digest", digest),
        ("Signature-Input", &resp_input),
        ("Signature", &resp_sig),
    ]);
    cases.extend([
        ok("sign-wimse-response/draft-07", "specs §4.3: @status, the responder's WIT, content headers, ;req components, wimse-req-nonce; Content-Digest added",
            json!({"message": to_compact(&response(&[])), "body": body, "request_nonce": "abcd1111", "key": serde_json::from_str::<Value>(SVC_B).unwrap(), "now": W_NOW, "lifetime": 302, "nonce": "abcd2222", "version": "draft-07"}),
            json!({"content_digest": digest, "signature_input": resp_input, "signature": resp_sig})),
        ok("verify-wimse-response/draft-07", "specs §4.4 step 10: the responder's own WIT and our nonce", r_in(signed_resp.clone(), body, "abcd1111", W_NOW + 3),
            json!({"subject": "wimse://example.com/svcB", "trust_domain": "example.com", "label": "wimse",
                "components": ["\"@status\"", "\"workload-identity-token\"", "\"content-type\"", "\"content-digest\"", "\"@method\";req", "\"@path\";req", "\"@query\";req"],
                "nonce": "abcd2222", "created": W_NOW, "expires": W_NOW + 302, "digest_checked": true, "sign_response": false})),
        err("verify-wimse-response/other-nonce", "specs N22 / §7.F9: wimse-req-nonce is not ours", r_in(signed_resp.clone(), body, "abcd9999", W_NOW + 3), "claim-mismatch"),
        err("verify-wimse-response/body-changed", "specs N24 / §7.F6: the body changed behind the unchanged digest", r_in(signed_resp.clone(), "No ice cream today!\n\n", "abcd1111", W_NOW + 3), "digest-mismatch"),
        err("verify-wimse-response/requester-wit", "specs N23 / §7.F9: verified against the requester's WIT (another key)",
            r_in({ let mut m = signed_resp.clone(); m["headers"][2][1] = json!(wit_a); m }, body, "abcd1111", W_NOW + 3), "invalid-signature"),
        err("verify-wimse-response/unsigned", "specs §7.F9: signing required and the signature is absent", r_in(response(&[("Content-Digest", digest)]), body, "abcd1111", W_NOW + 3), "credential-missing"),
    ]);
    cases
}

const RESP503_BODY: &str = r#"{"busy": true, "message": "Your call is very important to us"}"#;
const RESP503_DIGEST: &str = "sha-512=:0Y6iCBzGg5rZtoXS95Ijz03mslf6KAMCloESHObfwnHJDbkkWWQz6PhhU9kxsTbARtY2PTBOzq24uJFpHsMuAg==:";
const REQRES1: Rfc = Rfc {
    label: "reqres",
    input: r#"reqres=("@status" "content-digest" "content-type" "@authority";req "@method";req "@path";req "content-digest";req);created=1618884479;keyid="test-key-ecc-p256""#,
    signature: "reqres=:dMT/A/76ehrdBTD/2Xx8QuKV6FoyzEP/I9hdzKN8LQJLNgzU4W767HK05rx1i8meNQQgQPgQp8wq2ive3tV5Ag==:",
    base: "\"@status\": 503\n\"content-digest\": sha-512=:0Y6iCBzGg5rZtoXS95Ijz03mslf6KAMCloESHObfwnHJDbkkWWQz6PhhU9kxsTbARtY2PTBOzq24uJFpHsMuAg==:\n\"content-type\": application/json\n\"@authority\";req: example.com\n\"@method\";req: POST\n\"@path\";req: /foo\n\"content-digest\";req: sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"@signature-params\": (\"@status\" \"content-digest\" \"content-type\" \"@authority\";req \"@method\";req \"@path\";req \"content-digest\";req);created=1618884479;keyid=\"test-key-ecc-p256\"",
};
const REQRES2: Rfc = Rfc {
    label: "reqres",
    input: r#"reqres=("@status" "content-digest" "content-type" "@authority";req "@method";req "@path";req "@query";req "content-digest";req "content-type";req "content-length";req);created=1618884479;keyid="test-key-ecc-p256""#,
    signature: "reqres=:C73J41GVKc+TYXbSobvZf0CmNcptRiWN+NY1Or0A36ISg6ymdRN6ZgR2QfrtopFNzqAyv+CeWrMsNbcV2Ojsgg==:",
    base: "\"@status\": 503\n\"content-digest\": sha-512=:0Y6iCBzGg5rZtoXS95Ijz03mslf6KAMCloESHObfwnHJDbkkWWQz6PhhU9kxsTbARtY2PTBOzq24uJFpHsMuAg==:\n\"content-type\": application/json\n\"@authority\";req: example.com\n\"@method\";req: POST\n\"@path\";req: /foo\n\"@query\";req: ?param=Value&Pet=dog\n\"content-digest\";req: sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"content-type\";req: application/json\n\"content-length\";req: 18\n\"@signature-params\": (\"@status\" \"content-digest\" \"content-type\" \"@authority\";req \"@method\";req \"@path\";req \"@query\";req \"content-digest\";req \"content-type\";req \"content-length\";req);created=1618884479;keyid=\"test-key-ecc-p256\"",
};
const MULTI_SIG1: Rfc = Rfc {
    label: "sig1",
    input: r#"sig1=("@method" "@authority" "@path" "content-digest" "content-type" "content-length");created=1618884475;keyid="test-key-ecc-p256""#,
    signature: "sig1=:X5spyd6CFnAG5QnDyHfqoSNICd+BUP4LYMz2Q0JXlb//4Ijpzp+kve2w4NIyqeAuM7jTDX+sNalzA8ESSaHD3A==:",
    base: "\"@method\": POST\n\"@authority\": example.com\n\"@path\": /foo\n\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"content-type\": application/json\n\"content-length\": 18\n\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-type\" \"content-length\");created=1618884475;keyid=\"test-key-ecc-p256\"",
};
const PROXY: Rfc = Rfc {
    label: "proxy_sig",
    input: r#"proxy_sig=("@method" "@authority" "@path" "content-digest" "content-type" "content-length" "forwarded");created=1618884480;keyid="test-key-rsa";alg="rsa-v1_5-sha256";expires=1618884540"#,
    signature: "proxy_sig=:S6ZzPXSdAMOPjN/6KXfXWNO/f7V6cHm7BXYUh3YD/fRad4BCaRZxP+JH+8XY1I6+8Cy+CM5g92iHgxtRPz+MjniOaYmdkDcnL9cCpXJleXsOckpURl49GwiyUpZ10KHgOEe11sx3G2gxI8S0jnxQB+Pu68U9vVcasqOWAEObtNKKZd8tSFu7LB5YAv0RAGhB8tmpv7sFnIm9y+7X5kXQfi8NMaZaA8i2ZHwpBdg7a6CMfwnnrtflzvZdXAsD3LH2TwevU+/PBPv0B6NMNk93wUs/vfJvye+YuI87HU38lZHowtznbLVdp770I6VHR6WfgS9ddzirrswsE1w5o0LV/g==:",
    base: "\"@method\": POST\n\"@authority\": origin.host.internal.example\n\"@path\": /foo\n\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n\"content-type\": application/json\n\"content-length\": 18\n\"forwarded\": for=192.0.2.123;host=example.com;proto=https\n\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-type\" \"content-length\" \"forwarded\");created=1618884480;keyid=\"test-key-rsa\";alg=\"rsa-v1_5-sha256\";expires=1618884540",
};
const CLIENT_CERT: &str = ":MIIBqDCCAU6gAwIBAgIBBzAKBggqhkjOPQQDAjA6MRswGQYDVQQKDBJMZXQncyBBdXRoZW50aWNhdGUxGzAZBgNVBAMMEkxBIEludGVybWVkaWF0ZSBDQTAeFw0yMDAxMTQyMjU1MzNaFw0yMTAxMjMyMjU1MzNaMA0xCzAJBgNVBAMMAkJDMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8YnXXfaUgmnMtOXU/IncWalRhebrXmckC8vdgJ1p5Be5F/3YC8OthxM4+k1M6aEAEFcGzkJiNy6J84y7uzo9M6NyMHAwCQYDVR0TBAIwADAfBgNVHSMEGDAWgBRm3WjLa38lbEYCuiCPct0ZaSED2DAOBgNVHQ8BAf8EBAMCBsAwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYDVR0RAQH/BBMwEYEPYmRjQGV4YW1wbGUuY29tMAoGCCqGSM49BAMCA0gAMEUCIBHda/r1vaL6G3VliL4/Di6YK0Q6bMjeSkC3dFCOOB8TAiEAx/kHSB4urmiZ0NX5r5XarmPk0wmuydBVoU4hBVZ1yhk=:";
const TTRP: Rfc = Rfc {
    label: "ttrp",
    input: r#"ttrp=("@path" "@query" "@method" "@authority" "client-cert");created=1618884473;keyid="test-key-ecc-p256""#,
    signature: "ttrp=:xVMHVpawaAC/0SbHrKRs9i8I3eOs5RtTMGCWXm/9nvZzoHsIg6Mce9315T6xoklyy0yzhD9ah4JHRwMLOgmizw==:",
    base: "",
};
const TRANSFORM: Rfc = Rfc {
    label: "transform",
    input: r#"transform=("@method" "@path" "@authority" "accept");created=1618884473;keyid="test-key-ed25519""#,
    signature: "transform=:ZT1kooQsEHpZ0I1IjCqtQppOmIqlJPeo7DHR3SoMn0s5JZ1eRGS0A+vyYP9t/LXlh5QMFFQ6cpLt2m0pmj3NDA==:",
    base: "\"@method\": GET\n\"@path\": /demo\n\"@authority\": example.org\n\"accept\": application/json, */*\n\"@signature-params\": (\"@method\" \"@path\" \"@authority\" \"accept\");created=1618884473;keyid=\"test-key-ed25519\"",
};

fn response_503(extra: &[(&str, &str)]) -> Value {
    let mut h = vec![
        ("Date", "Tue, 20 Apr 2021 02:07:56 GMT"),
        ("Content-Type", "application/json"),
        ("Content-Length", "62"),
        ("Content-Digest", RESP503_DIGEST),
    ];
    h.extend_from_slice(extra);
    json!({"status": 503, "headers": pairs(&h), "request": test_request(&[])})
}

fn proxied(extra: &[(&str, &str)]) -> Value {
    let mut h = vec![
        ("Host", "origin.host.internal.example"),
        ("Date", "Tue, 20 Apr 2021 02:07:56 GMT"),
        ("Content-Type", "application/json"),
        ("Content-Digest", REQ_DIGEST),
        ("Content-Length", "18"),
        ("Forwarded", "for=192.0.2.123;host=example.com;proto=https"),
    ];
    h.extend_from_slice(extra);
    json!({"method": "POST", "target_uri": "https://origin.host.internal.example/foo?param=Value&Pet=dog", "headers": pairs(&h)})
}

fn ttrp_request(extra: &[(&str, &str)]) -> Value {
    let mut h = vec![
        ("Host", "service.internal.example"),
        ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
        ("Content-Type", "application/json"),
        ("Content-Length", "18"),
        ("Client-Cert", CLIENT_CERT),
    ];
    h.extend_from_slice(extra);
    json!({"method": "POST", "target_uri": "https://service.internal.example/foo?param=Value&Pet=dog", "headers": pairs(&h)})
}

fn transform_request(target: &str, method: &str, headers: &[(&str, &str)]) -> Value {
    json!({"method": method, "target_uri": format!("https://example.org{target}"), "headers": pairs(headers)})
}

const TRANSFORM_HEADERS: [(&str, &str); 4] = [
    ("Host", "example.org"),
    ("Date", "Fri, 15 Jul 2022 14:24:55 GMT"),
    ("Accept", "application/json"),
    ("Accept", "*/*"),
];

/// The other signed examples of RFC 9421 (§2.4, §4.3, B.3, B.4): with B.2.1–B.2.6 and §3.2,
/// all 13.
pub fn more_rfc_cases() -> (Vec<Case>, Vec<Case>) {
    let keys = rfc_keys();
    let lenient = to_compact(&json!({"max_age": 100_000_000u64, "require_digest_for_body": false}));
    let vin = |msg: &Value, body: Option<&str>, now: u64, policy: &str| json!({"message": to_compact(msg), "body": body, "policy": policy, "keys": keys, "now": now});
    let ttrp_base = format!(
        "\"@path\": /foo\n\"@query\": ?param=Value&Pet=dog\n\"@method\": POST\n\"@authority\": service.internal.example\n\"client-cert\": {CLIENT_CERT}\n\"@signature-params\": (\"@path\" \"@query\" \"@method\" \"@authority\" \"client-cert\");created=1618884473;keyid=\"test-key-ecc-p256\""
    );
    let bases = vec![
        ok(
            "signature-base/rfc9421-reqres",
            "RFC 9421 §2.4: a response signature covering request components (;req)",
            json!({"message": to_compact(&response_503(&[])), "signature_input": REQRES1.input}),
            json!({"base": REQRES1.base}),
        ),
        ok(
            "signature-base/rfc9421-reqres-full",
            "RFC 9421 §2.4: the second variant (all of the request's signed components)",
            json!({"message": to_compact(&response_503(&[])), "signature_input": REQRES2.input}),
            json!({"base": REQRES2.base}),
        ),
        ok(
            "signature-base/rfc9421-multiple-sig1",
            "RFC 9421 §4.3: the client's sig1 before the proxy",
            json!({"message": to_compact(&test_request(&[])), "signature_input": MULTI_SIG1.input}),
            json!({"base": MULTI_SIG1.base}),
        ),
        ok(
            "signature-base/rfc9421-proxy-sig",
            "RFC 9421 §4.3: the proxy's signature after rewriting Host and adding Forwarded",
            json!({"message": to_compact(&proxied(&[])), "signature_input": PROXY.input}),
            json!({"base": PROXY.base}),
        ),
        ok(
            "signature-base/rfc9421-b3-ttrp",
            "RFC 9421 B.3: the TLS-terminating proxy covering Client-Cert",
            json!({"message": to_compact(&ttrp_request(&[])), "signature_input": TTRP.input}),
            json!({"base": ttrp_base}),
        ),
        ok(
            "signature-base/rfc9421-b4-transform",
            "RFC 9421 B.4: repeated Accept lines joined in order",
            json!({"message": to_compact(&transform_request("/demo?name1=Value1&Name2=value2", "GET", &TRANSFORM_HEADERS)), "signature_input": TRANSFORM.input}),
            json!({"base": TRANSFORM.base}),
        ),
        ok(
            "signature-base/trailer",
            "RFC 9421 §2.1.4: tr takes the value from the trailers",
            json!({"message": to_compact(&json!({"status": 200, "headers": pairs(&[("Trailer", "Expires")]), "trailers": pairs(&[("Expires", "Wed, 9 Nov 2022 07:28:00 GMT")])})),
                "signature_input": r#"s=("@status" "trailer" "expires";tr)"#}),
            json!({"base": "\"@status\": 200\n\"trailer\": Expires\n\"expires\";tr: Wed, 9 Nov 2022 07:28:00 GMT\n\"@signature-params\": (\"@status\" \"trailer\" \"expires\";tr)"}),
        ),
        err(
            "signature-base/trailer-not-in-headers",
            "RFC 9421 §2.1.4: headers and trailers are never merged",
            json!({"message": to_compact(&json!({"status": 200, "headers": pairs(&[("Expires", "x")]), "trailers": []})), "signature_input": r#"s=("expires";tr)"#}),
            "invalid-component",
        ),
    ];
    let ok_sig = |rfc: &Rfc,
                  created: u64,
                  expires: Option<u64>,
                  keyid: &str,
                  components: Value,
                  digest: bool| {
        json!({
        "label": rfc.label, "components": components, "keyid": keyid, "tag": null, "nonce": null, "created": created, "expires": expires, "digest_checked": digest})
    };
    let tf_components = json!(["\"@method\"", "\"@path\"", "\"@authority\"", "\"accept\""]);
    let tf_ok = ok_sig(
        &TRANSFORM,
        CREATED,
        None,
        "test-key-ed25519",
        tf_components,
        false,
    );
    let tf = |id: &str, title: &str, msg: Value, expect: Result<Value, &str>| {
        let i = vin(&msg, None, CREATED, &lenient);
        match expect {
            Ok(v) => ok(&format!("verify/rfc9421-b4-{id}"), title, i, v),
            Err(code) => err(&format!("verify/rfc9421-b4-{id}"), title, i, code),
        }
    };
    fn with_tf<'a>(headers: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut h = headers.to_vec();
        h.push(("Signature-Input", TRANSFORM.input));
        h.push(("Signature", TRANSFORM.signature));
        h
    }
    let both = [
        (
            "Signature-Input",
            format!("{}, {}", MULTI_SIG1.input, PROXY.input),
        ),
        (
            "Signature",
            format!("{}, {}", MULTI_SIG1.signature, PROXY.signature),
        ),
    ];
    let both: Vec<(&str, &str)> = both.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let verifies = vec![
        ok(
            "verify/rfc9421-reqres",
            "RFC 9421 §2.4: verified with its request (ecdsa-p256-sha256)",
            vin(
                &response_503(&[
                    ("Signature-Input", REQRES1.input),
                    ("Signature", REQRES1.signature),
                ]),
                Some(RESP503_BODY),
                1_618_884_479,
                &lenient,
            ),
            ok_sig(
                &REQRES1,
                1_618_884_479,
                None,
                "test-key-ecc-p256",
                json!([
                    "\"@status\"",
                    "\"content-digest\"",
                    "\"content-type\"",
                    "\"@authority\";req",
                    "\"@method\";req",
                    "\"@path\";req",
                    "\"content-digest\";req"
                ]),
                true,
            ),
        ),
        ok(
            "verify/rfc9421-reqres-full",
            "RFC 9421 §2.4: the second variant",
            vin(
                &response_503(&[
                    ("Signature-Input", REQRES2.input),
                    ("Signature", REQRES2.signature),
                ]),
                Some(RESP503_BODY),
                1_618_884_479,
                &lenient,
            ),
            ok_sig(
                &REQRES2,
                1_618_884_479,
                None,
                "test-key-ecc-p256",
                json!([
                    "\"@status\"",
                    "\"content-digest\"",
                    "\"content-type\"",
                    "\"@authority\";req",
                    "\"@method\";req",
                    "\"@path\";req",
                    "\"@query\";req",
                    "\"content-digest\";req",
                    "\"content-type\";req",
                    "\"content-length\";req"
                ]),
                true,
            ),
        ),
        ok(
            "verify/rfc9421-proxy-sig",
            "RFC 9421 §4.3: the proxy's rsa-v1_5-sha256 signature at the origin (label proxy_sig)",
            vin(
                &proxied(&both),
                Some(REQ_BODY),
                1_618_884_480,
                &to_compact(&json!({"label": "proxy_sig", "max_age": 100_000_000u64})),
            ),
            ok_sig(
                &PROXY,
                1_618_884_480,
                Some(1_618_884_540),
                "test-key-rsa",
                json!([
                    "\"@method\"",
                    "\"@authority\"",
                    "\"@path\"",
                    "\"content-digest\"",
                    "\"content-type\"",
                    "\"content-length\"",
                    "\"forwarded\""
                ]),
                true,
            ),
        ),
        err(
            "verify/rfc9421-multiple-sig1-at-origin",
            "RFC 9421 §4.3: the client's sig1 no longer verifies at the origin (@authority rewritten)",
            vin(
                &proxied(&both),
                Some(REQ_BODY),
                1_618_884_480,
                &to_compact(&json!({"label": "sig1", "max_age": 100_000_000u64})),
            ),
            "invalid-signature",
        ),
        ok(
            "verify/rfc9421-multiple-sig1-before-proxy",
            "RFC 9421 §4.3: sig1 verifies on the message the client sent",
            vin(
                &test_request(&[
                    ("Signature-Input", MULTI_SIG1.input),
                    ("Signature", MULTI_SIG1.signature),
                ]),
                Some(REQ_BODY),
                1_618_884_475,
                &lenient,
            ),
            ok_sig(
                &MULTI_SIG1,
                1_618_884_475,
                None,
                "test-key-ecc-p256",
                json!([
                    "\"@method\"",
                    "\"@authority\"",
                    "\"@path\"",
                    "\"content-digest\"",
                    "\"content-type\"",
                    "\"content-length\""
                ]),
                true,
            ),
        ),
        ok(
            "verify/rfc9421-b3-ttrp",
            "RFC 9421 B.3: the TLS-terminating proxy's signature",
            vin(
                &ttrp_request(&[
                    ("Signature-Input", TTRP.input),
                    ("Signature", TTRP.signature),
                ]),
                None,
                CREATED,
                &lenient,
            ),
            ok_sig(
                &TTRP,
                CREATED,
                None,
                "test-key-ecc-p256",
                json!([
                    "\"@path\"",
                    "\"@query\"",
                    "\"@method\"",
                    "\"@authority\"",
                    "\"client-cert\""
                ]),
                false,
            ),
        ),
        tf(
            "original",
            "RFC 9421 B.4: the original message",
            transform_request(
                "/demo?name1=Value1&Name2=value2",
                "GET",
                &with_tf(&TRANSFORM_HEADERS),
            ),
            Ok(tf_ok.clone()),
        ),
        tf(
            "query-and-header-added",
            "RFC 9421 B.4: a parameter and Accept-Language added: still valid",
            transform_request(
                "/demo?name1=Value1&Name2=value2&param=added",
                "GET",
                &with_tf(&[
                    ("Host", "example.org"),
                    ("Date", "Fri, 15 Jul 2022 14:24:55 GMT"),
                    ("Accept", "application/json"),
                    ("Accept", "*/*"),
                    ("Accept-Language", "en-US,en;q=0.5"),
                ]),
            ),
            Ok(tf_ok.clone()),
        ),
        tf(
            "accept-merged",
            "RFC 9421 B.4: Date removed, Referer added, the Accept lines merged: still valid",
            transform_request(
                "/demo?name1=Value1&Name2=value2",
                "GET",
                &with_tf(&[
                    ("Host", "example.org"),
                    ("Referer", "https://developer.example.org/demo"),
                    ("Accept", "application/json, */*"),
                ]),
            ),
            Ok(tf_ok.clone()),
        ),
        tf(
            "reordered",
            "RFC 9421 B.4: headers reordered, Accept lines kept in order: still valid",
            transform_request(
                "/demo?name1=Value1&Name2=value2",
                "GET",
                &with_tf(&[
                    ("Accept", "application/json"),
                    ("Date", "Fri, 15 Jul 2022 14:24:55 GMT"),
                    ("Accept", "*/*"),
                    ("Host", "example.org"),
                ]),
            ),
            Ok(tf_ok),
        ),
        tf(
            "method-and-host-changed",
            "RFC 9421 B.4: POST to example.com: invalid",
            json!({"method": "POST", "target_uri": "https://example.com/demo?name1=Value1&Name2=value2", "headers": pairs(&with_tf(&[("Host", "example.com"), ("Date", "Fri, 15 Jul 2022 14:24:55 GMT"), ("Accept", "application/json"), ("Accept", "*/*")]))}),
            Err("invalid-signature"),
        ),
        tf(
            "accept-swapped",
            "RFC 9421 B.4: the two Accept lines swapped: invalid",
            transform_request(
                "/demo?name1=Value1&Name2=value2",
                "GET",
                &with_tf(&[
                    ("Host", "example.org"),
                    ("Date", "Fri, 15 Jul 2022 14:24:55 GMT"),
                    ("Accept", "*/*"),
                    ("Accept", "application/json"),
                ]),
            ),
            Err("invalid-signature"),
        ),
        err(
            "verify/rfc9421-b24-draft-digest",
            "specs §1.12: B.2.4 with the draft's wrong JlEy… digest does not verify",
            vin(
                &json!({"status": 200, "headers": pairs(&[("Date", "Tue, 20 Apr 2021 02:07:56 GMT"), ("Content-Type", "application/json"), ("Content-Digest", "sha-512=:JlEy2bfUz7WrWIjc1qV6KVLpdr/7L5/L4h7Sxvh6sNHpDQWDCL+GauFQWcZBvVDhiyOnAQsxzZFYwi0wDH+1pw==:"), ("Content-Length", "23"), ("Signature-Input", B24.input), ("Signature", B24.signature)])}),
                Some(RESP_BODY),
                CREATED,
                &lenient,
            ),
            "invalid-signature",
        ),
    ];
    (bases, verifies)
}

/// ecdsa-p384-sha384: RFC 6979 signing and verification with the generator's P-384 key.
pub fn p384_cases(k: &Keys) -> (Vec<Case>, Vec<Case>) {
    let private: Value = serde_json::from_str(&k.es384.to_private_jwk_json()).unwrap();
    let mut public = public(&k.es384);
    public.as_object_mut().unwrap().remove("kid");
    let input =
        r#"p384=("@method" "@target-uri" "content-digest");created=1618884473;keyid="es384-1""#;
    let base = format!(
        "\"@method\": POST\n\"@target-uri\": https://example.com/foo?param=Value&Pet=dog\n\"content-digest\": {REQ_DIGEST}\n\"@signature-params\": (\"@method\" \"@target-uri\" \"content-digest\");created=1618884473;keyid=\"es384-1\""
    );
    let sig = format!(
        "p384=:{}:",
        base64::engine::general_purpose::STANDARD.encode(k.es384.sign(base.as_bytes()).unwrap())
    );
    let sign = vec![ok(
        "sign/ecdsa-p384-sha384",
        "RFC 9421 §3.3.5: ecdsa-p384-sha384, 96-byte r‖s (RFC 6979 deterministic here)",
        json!({"message": to_compact(&test_request(&[])), "label": "p384", "components": ["@method", "@target-uri", "content-digest"],
            "params": to_compact(&json!([["created", CREATED], ["keyid", "es384-1"]])), "key": private}),
        json!({"signature_input": input, "signature": sig, "base": base}),
    )];
    let keys =
        to_compact(&json!([{"keyid": "es384-1", "alg": "ecdsa-p384-sha384", "jwk": public}]));
    let msg = test_request(&[("Signature-Input", input), ("Signature", &sig)]);
    let verify = vec![
        ok(
            "verify/ecdsa-p384-sha384",
            "RFC 9421 §3.3.5: ecdsa-p384-sha384 verifies, digest checked",
            json!({"message": to_compact(&msg), "body": REQ_BODY, "policy": to_compact(&json!({"max_age": 100_000_000u64})), "keys": keys, "now": CREATED}),
            json!({"label": "p384", "components": ["\"@method\"", "\"@target-uri\"", "\"content-digest\""], "keyid": "es384-1", "tag": null, "nonce": null, "created": CREATED, "expires": null, "digest_checked": true}),
        ),
        err(
            "verify/ecdsa-p384-as-p256",
            "specs §1.11 step 7: a P-384 key configured as ecdsa-p256-sha256 does not fit",
            json!({"message": to_compact(&msg), "body": REQ_BODY, "policy": to_compact(&json!({"max_age": 100_000_000u64})),
                "keys": to_compact(&json!([{"keyid": "es384-1", "alg": "ecdsa-p256-sha256", "jwk": public}])), "now": CREATED}),
            "key-mismatch",
        ),
    ];
    (sign, verify)
}
