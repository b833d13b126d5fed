//! Differential: the variable-time P-256 group arithmetic of `a2a-auth-p256-verify` (doubling,
//! Jacobian and mixed additions, with equal and opposite points and the identity; `u1·G + u2·Q`
//! on the cold path, and on the combs for one selector value) against the `p256` crate.
#![no_main]
use a2a_auth_p256_verify::fuzzing;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use p256::elliptic_curve::ff::PrimeField as _;
use p256::elliptic_curve::group::Group as _;
use p256::elliptic_curve::sec1::{FromSec1Point as _, ToSec1Point as _};
use p256::{AffinePoint, ProjectivePoint, Scalar};
#[path = "../common/p256_values.rs"]
mod values;
use values::{Fe, Val};

impl Val {
    fn scalar(self) -> Scalar {
        let bytes = self.bytes();
        Option::from(Scalar::from_repr(bytes.into())).unwrap_or_else(|| {
            <Scalar as p256::elliptic_curve::ops::Reduce<p256::FieldBytes>>::reduce(&bytes.into())
        })
    }

    /// A point with this x coordinate or the next one up that has a point (bounded).
    fn point(self, odd: bool) -> AffinePoint {
        let mut x = self.field();
        for _ in 0..64 {
            let mut compressed = [0u8; 33];
            compressed[0] = 2 + u8::from(odd);
            compressed[1..].copy_from_slice(&x.to_repr());
            if let Ok(p) = AffinePoint::from_sec1_bytes(&compressed) {
                return p;
            }
            x += Fe::ONE;
        }
        AffinePoint::GENERATOR
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// Below 0xf000: group operations; above: `u1·G + u2·Q` (with the combs at 0xffff).
    selector: u16,
    a: Val,
    b: Val,
    c: Val,
    d: Val,
    flags: u8,
}

fn sec1(p: &ProjectivePoint) -> Option<[u8; 65]> {
    let e = p.to_affine().to_sec1_point(false);
    e.as_bytes().try_into().ok()
}

fuzz_target!(|input: Input| {
    let p = input.a.point(input.flags & 1 == 1);
    // Q: independent, equal to P, or P's negation.
    let q = match (input.flags >> 1) % 4 {
        0 => p,
        1 => -p,
        _ => input.b.point(input.flags & 4 == 4),
    };
    let ours_p = fuzzing::point(&p.to_sec1_point(false).as_bytes()[..]).expect("on the curve");
    let ours_q = fuzzing::point(&q.to_sec1_point(false).as_bytes()[..]).expect("on the curve");
    let (pp, qp) = (ProjectivePoint::from(p), ProjectivePoint::from(q));
    if input.selector < 0xf000 {
        // zp = 0 makes P the identity.
        let zp = if input.flags & 8 == 8 {
            [0u8; 32]
        } else {
            input.c.bytes()
        };
        let zq = input.d.bytes();
        let z_zero = fuzzing::reduce(&zp) == [0u8; 32];
        let zq_zero = fuzzing::reduce(&zq) == [0u8; 32];
        let pj = if z_zero {
            ProjectivePoint::IDENTITY
        } else {
            pp
        };
        let qj = if zq_zero {
            ProjectivePoint::IDENTITY
        } else {
            qp
        };
        let [double, add, mixed, mixed_neg] = fuzzing::group(&ours_p, &zp, &ours_q, &zq);
        assert_eq!(double, sec1(&pj.double()), "double");
        assert_eq!(add, sec1(&(pj + qj)), "add");
        assert_eq!(mixed, sec1(&(pj + qp)), "add_affine");
        assert_eq!(mixed_neg, sec1(&(pj - qp)), "add_affine of −Q");
        return;
    }
    let (u1, u2) = (input.c.scalar(), input.d.scalar());
    let want = sec1(&(ProjectivePoint::GENERATOR * u1 + qp * u2));
    // Building a comb costs ten cold multiplications: the combs on one selector value only
    // (`p256_differential` exercises them through whole verifications too).
    let [cold, busy] = fuzzing::double_mul(&ours_q, &u1, &u2, input.selector == 0xffff);
    assert_eq!(cold, Some(want), "u1·G + u2·Q, cold");
    if let Some(busy) = busy {
        assert_eq!(busy, want, "u1·G + u2·Q, combs");
    }
});
