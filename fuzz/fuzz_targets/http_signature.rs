//! RFC 9421 `Signature-Input` / `Signature` (structured-field dictionaries) and Content-Digest,
//! verified against a fixed key: the first line of the input is Signature-Input, the second
//! Signature, the third Content-Digest, the rest the body.
#![no_main]
use a2a_auth::ffi;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.splitn(4, '\n');
    let (input, sig, digest, body) = (
        lines.next().unwrap_or(""),
        lines.next().unwrap_or(""),
        lines.next().unwrap_or(""),
        lines.next(),
    );
    let message = serde_json::json!({"method": "POST", "target_uri": "https://svc.example.com/a?b=c",
        "headers": [["signature-input", input], ["signature", sig], ["content-digest", digest]]});
    let keys = r#"[{"keyid":"k","alg":"ed25519","jwk":{"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}}]"#;
    let _ = ffi::http_verify(
        &message.to_string(),
        body.map(str::as_bytes),
        "{}",
        keys,
        1_700_000_000,
        None,
    );
    let _ = ffi::http_verify_content_digest(digest, body.unwrap_or("").as_bytes());
});
