//! The values the P-256 differential fuzz targets draw (`p256_field`, `p256_group`): arbitrary,
//! or from the edges where carries and reductions go wrong. Included by both as a module.
use a2a_auth_p256_verify::fuzzing;
use arbitrary::Arbitrary;
use p256::elliptic_curve::ff::PrimeField as _;

pub type Fe = <p256::NistP256 as p256::elliptic_curve::hazmat::FieldArithmetic>::FieldElement;

/// A 256-bit value, arbitrary or from the edges where carries and reductions go wrong.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Val {
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
    0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
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
    pub fn bytes(self) -> [u8; 32] {
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
    pub fn field(self) -> Fe {
        let reduced = fuzzing::reduce(&self.bytes());
        Option::from(Fe::from_repr(reduced.into())).expect("reduce gives a value below p")
    }
}
