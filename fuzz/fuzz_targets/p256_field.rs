//! Differential: the variable-time P-256 field arithmetic of `a2a-auth-p256-verify`
//! (multiplication, squaring, addition, subtraction, negation, the fused
//! product-plus-small-multiples forms of the point formulas, inversion)
//! against the `p256` crate, on arbitrary values and values from the edges where carries and
//! reductions go wrong (near 0, near p, powers of two, repeated limbs); and the 32-bit-limb
//! arithmetic (what wasm32 runs) against the 64-bit-limb one (what 64-bit CPUs run). A few
//! microseconds per execution: the target that runs 10^8 times. Points and scalar multiplications:
//! `p256_group`.
#![no_main]
use a2a_auth_p256_verify::fuzzing;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use p256::elliptic_curve::ff::PrimeField as _;
#[path = "../common/p256_values.rs"]
mod values;
use values::{Fe, Val};

#[derive(Arbitrary, Debug)]
struct Input {
    a: Val,
    b: Val,
    c: Val,
    /// The two multiples of the fused forms, each in [−8, 7].
    k: u8,
    /// An inversion costs 267 multiplications on each side: checked when this is 0 mod 16.
    invert: u8,
}

fn bytes(f: &Fe) -> [u8; 32] {
    f.to_repr().into()
}

fuzz_target!(|input: Input| {
    let (a, b, c) = (input.a.field(), input.b.field(), input.c.field());
    // Reduction: a value at or above p comes back as itself minus p.
    let raw = input.a.bytes();
    assert_eq!(fuzzing::reduce(&raw), bytes(&a));
    let invert = input.invert % 16 == 0;
    let [mul, square, add, sub, neg, lin1, lin2, inv] =
        fuzzing::field(&bytes(&a), &bytes(&b), &bytes(&c), input.k, invert);
    assert_eq!(mul, bytes(&(a * b)), "mul");
    assert_eq!(square, bytes(&a.square()), "square");
    assert_eq!(add, bytes(&(a + b)), "add");
    assert_eq!(sub, bytes(&(a - b)), "sub");
    assert_eq!(neg, bytes(&-a), "neg");
    let small = |k: i64| {
        let f = Fe::from(k.unsigned_abs());
        if k < 0 { -f } else { f }
    };
    let (k1, k2) = (
        small(i64::from(input.k & 15) - 8),
        small(i64::from(input.k >> 4) - 8),
    );
    assert_eq!(lin1, bytes(&(a * b * k1 + c * k2)), "k1·a·b + k2·c");
    assert_eq!(
        lin2,
        bytes(&(a.square() * k1 + b * c * k2)),
        "k1·a² + k2·b·c"
    );
    assert!(
        fuzzing::limb_paths_agree(&bytes(&a), &bytes(&b)),
        "32-bit and 64-bit limbs disagree"
    );
    if invert {
        let want = Option::<Fe>::from(a.invert()).unwrap_or(Fe::ZERO);
        assert_eq!(inv, bytes(&want), "invert");
    }
});
