//! Differential: ES256 verification through a2a-auth against the `p256` crate, on signatures
//! that are valid, malleated, bit-flipped or arbitrary. The same parsed key verifies up to four
//! times: the first three on the cold (Straus–Shamir) path, the fourth on the key's comb. Any
//! disagreement is a finding.
#![no_main]
use a2a_auth::Limits;
use a2a_auth::crypto::{Algorithm, Jwk};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::elliptic_curve::sec1::ToSec1Point as _;

#[derive(Arbitrary, Debug)]
struct Input {
    secret: [u8; 32],
    message: Vec<u8>,
    /// 0: the valid signature; 1: its (r, n − s) twin; 2: one bit flipped; else `raw`.
    mode: u8,
    bit: u16,
    raw: Vec<u8>,
    /// Verifications with the same parsed key (the comb is built after three).
    repeat: u8,
}

fn b64(bytes: &[u8]) -> String {
    a2a_auth::encoding::base64url::encode(bytes)
}

fuzz_target!(|input: Input| {
    let Ok(sk) = p256::ecdsa::SigningKey::from_slice(&input.secret) else {
        return;
    };
    let vk = *sk.verifying_key();
    let point = vk.as_affine().to_sec1_point(false);
    let bytes = point.as_bytes();
    let jwk = format!(
        r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
        b64(&bytes[1..33]),
        b64(&bytes[33..65])
    );
    let key = Jwk::from_json(&jwk, &Limits::DEFAULT).expect("a valid P-256 key parses");
    let sig: p256::ecdsa::Signature = sk.sign(&input.message);
    let candidate: Vec<u8> = match input.mode % 4 {
        0 => sig.to_bytes().to_vec(),
        1 => p256::ecdsa::Signature::from_scalars(sig.r(), -*sig.s())
            .expect("the twin is in range")
            .to_bytes()
            .to_vec(),
        2 => {
            let mut b = sig.to_bytes().to_vec();
            let bit = usize::from(input.bit) % 512;
            b[bit / 8] ^= 1 << (bit % 8);
            b
        }
        _ => input.raw.clone(),
    };
    let reference = p256::ecdsa::Signature::from_slice(&candidate)
        .is_ok_and(|s| vk.verify(&input.message, &s).is_ok());
    for _ in 0..=(input.repeat % 4) {
        let ours = key
            .verify(Algorithm::Es256, &input.message, &candidate)
            .is_ok();
        assert_eq!(ours, reference, "a2a-auth and p256 disagree");
    }
    if input.mode % 4 < 2 {
        assert!(reference, "a valid signature (or its twin) must verify");
    }
});
