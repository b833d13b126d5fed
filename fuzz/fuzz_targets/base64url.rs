//! Strict unpadded base64url: decode never panics; what decodes re-encodes to the same text.
#![no_main]
use a2a_auth::encoding::base64url;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(bytes) = base64url::decode(text)
    {
        assert_eq!(
            base64url::encode(&bytes),
            text,
            "canonical: one text per byte string"
        );
    }
});
