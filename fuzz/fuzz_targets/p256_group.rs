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

type Fe = <p256::NistP256 as p256::elliptic_curve::hazmat::FieldArithmetic>::FieldElement;

/// A 256-bit value, arbitrary or from the edges where carries and reductions go wrong.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Val {
    Raw([u8; 32]),
    /// p − k.
    PMinus(u32),
    Small(u32),
    /// 2^e + d.
    Pow2(u8, i8),
    /// All limbs one word.
    Limbs(u32),
}

const P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

fn add_small(bytes: &mut [u8; 32], d: i64) {
    let mut carry = d;
    for b in bytes.iter_mut().rev() {
        let t = i64::from(*b) + carry;
        *b = t.rem_euclid(256) as u8;
        carry = t.div_euclid(256);
    }
}

impl Val {
    fn bytes(self) -> [u8; 32] {
        match self {
            Val::Raw(b) => b,
            Val::PMinus(k) => {
                let mut b = P;
                add_small(&mut b, -i64::from(k));
                b
            }
            Val::Small(k) => {
                let mut b = [0u8; 32];
                b[28..].copy_from_slice(&k.to_be_bytes());
                b
            }
            Val::Pow2(e, d) => {
                let mut b = [0u8; 32];
                b[31 - usize::from(e / 8)] = 1 << (e % 8);
                add_small(&mut b, i64::from(d));
                b
            }
            Val::Limbs(w) => {
                let mut b = [0u8; 32];
                for c in b.chunks_mut(4) {
                    c.copy_from_slice(&w.to_be_bytes());
                }
                b
            }
        }
    }

    /// The value reduced mod p (by the crate under test; checked against `p256` below).
    fn field(self) -> Fe {
        let reduced = fuzzing::reduce(&self.bytes());
        Option::from(Fe::from_repr(reduced.into())).expect("reduce gives a value below p")
    }

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
        let zp = if input.flags & 8 == 8 { [0u8; 32] } else { input.c.bytes() };
        let zq = input.d.bytes();
        let z_zero = fuzzing::reduce(&zp) == [0u8; 32];
        let zq_zero = fuzzing::reduce(&zq) == [0u8; 32];
        let pj = if z_zero { ProjectivePoint::IDENTITY } else { pp };
        let qj = if zq_zero { ProjectivePoint::IDENTITY } else { qp };
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
