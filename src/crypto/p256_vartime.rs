//! ECDSA P-256 verification (FIPS 186-5 §6.4.2) on public data only, in variable time.
//!
//! Verification handles nothing secret (the key, the message and the signature are public), so
//! this path may branch on data. Signing keeps the constant-time `p256` crate.
//!
//! - **Field** (mod p = 2^256 − 2^224 + 2^192 + 2^96 − 1): eight 32-bit limbs, products in 64
//!   bits (native on wasm32 and 64-bit CPUs alike, no 128-bit multiplies), the NIST fast
//!   reduction (FIPS 186-5 / SP 800-186 Appendix G.1.2: additions of 32-bit words, no
//!   Montgomery form). Every element is kept fully reduced.
//! - **Group**: Jacobian coordinates, a = −3 doubling (3M+5S), mixed Jacobian–affine additions
//!   (7M+4S), with the exceptional cases (equal points, opposite points, the identity) handled
//!   by branches.
//! - **u1·G + u2·Q**: `u1·G` from a fixed-base comb of the generator (64 radix-16 windows of
//!   `j·16^i·G`, `j = 1..8`, affine, built once): at most 64 additions and no doublings. `u2·Q`
//!   from the same kind of comb for Q ([`Comb`], built for keys that verify many signatures;
//!   the library verifies a key's first uses with the `p256` crate), or with a width-5 wNAF
//!   over Q's odd multiples (256 doublings; not used by the library yet). A scalar above
//!   n/2 is replaced by n − k with the points negated, so 64 signed digits in [−7, 8] suffice.
//! - **No final inversion**: `x(R) mod n = r` is checked as `X = r·Z²` (or `(r + n)·Z²` when
//!   `r + n < p`) on the Jacobian result.
//!
//! Scalars (mod n) come from the `p256` crate. Every answer is checked against the `p256`
//! crate by the unit tests, the Wycheproof suite and the `p256_differential` fuzz target.
#![expect(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    reason = "limb arithmetic on fixed-size arrays: every index is a loop counter below the \
              array's length, every product is u32 × u32 in a u64, every reduction column sum \
              stays within ±2^36, and the low-word casts are the point; tests and fuzzing run \
              with overflow checks"
)]

use p256::elliptic_curve::ff::{Field as _, PrimeField as _};
use p256::elliptic_curve::scalar::IsHigh as _;
use sha2::Digest as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

type Limbs = [u32; 8];

/// p, least significant limb first.
const P: Limbs = [
    0xffff_ffff,
    0xffff_ffff,
    0xffff_ffff,
    0,
    0,
    0,
    1,
    0xffff_ffff,
];

/// n, the group order, least significant limb first.
const N: Limbs = [
    0xfc63_2551,
    0xf3b9_cac2,
    0xa717_9e84,
    0xbce6_faad,
    0xffff_ffff,
    0xffff_ffff,
    0,
    0xffff_ffff,
];

fn adc(a: u32, b: u32, carry: bool) -> (u32, bool) {
    let (s, c1) = a.overflowing_add(b);
    let (s, c2) = s.overflowing_add(u32::from(carry));
    (s, c1 | c2)
}

fn sbb(a: u32, b: u32, borrow: bool) -> (u32, bool) {
    let (d, b1) = a.overflowing_sub(b);
    let (d, b2) = d.overflowing_sub(u32::from(borrow));
    (d, b1 | b2)
}

fn add_limbs(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut out = [0u32; 8];
    let mut carry = false;
    for i in 0..8 {
        (out[i], carry) = adc(a[i], b[i], carry);
    }
    (out, carry)
}

fn sub_limbs(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut out = [0u32; 8];
    let mut borrow = false;
    for i in 0..8 {
        (out[i], borrow) = sbb(a[i], b[i], borrow);
    }
    (out, borrow)
}

/// `a >= b` as integers.
fn geq(a: &Limbs, b: &Limbs) -> bool {
    for i in (0..8).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

fn from_be_bytes(bytes: &[u8; 32]) -> Limbs {
    let mut out = [0u32; 8];
    for (i, chunk) in bytes.rchunks_exact(4).enumerate() {
        out[i] = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    out
}

/// A field element mod p, always fully reduced (`< p`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Fe(Limbs);

impl Fe {
    const ZERO: Self = Self([0; 8]);
    const ONE: Self = Self([1, 0, 0, 0, 0, 0, 0, 0]);

    /// The element for big-endian bytes, or `None` when they are `>= p`.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        let limbs = from_be_bytes(bytes);
        (!geq(&limbs, &P)).then_some(Self(limbs))
    }

    fn is_zero(&self) -> bool {
        self.0 == [0; 8]
    }

    fn add(&self, b: &Self) -> Self {
        let (s, carry) = add_limbs(&self.0, &b.0);
        if carry || geq(&s, &P) {
            // s + carry·2^256 − p, computed mod 2^256.
            Self(sub_limbs(&s, &P).0)
        } else {
            Self(s)
        }
    }

    fn sub(&self, b: &Self) -> Self {
        let (d, borrow) = sub_limbs(&self.0, &b.0);
        if borrow {
            Self(add_limbs(&d, &P).0)
        } else {
            Self(d)
        }
    }

    fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    fn double(&self) -> Self {
        self.add(self)
    }

    fn mul(&self, b: &Self) -> Self {
        let mut wide = [0u32; 16];
        for i in 0..8 {
            let mut carry = 0u64;
            let ai = u64::from(self.0[i]);
            for j in 0..8 {
                // (2^32−1)^2 + 2·(2^32−1) = 2^64 − 1: fits.
                let t = ai * u64::from(b.0[j]) + u64::from(wide[i + j]) + carry;
                wide[i + j] = t as u32;
                carry = t >> 32;
            }
            wide[i + 8] = carry as u32;
        }
        Self::reduce(&wide)
    }

    /// `self²` with the 28 off-diagonal products computed once and doubled (36 multiplies
    /// instead of 64).
    fn square(&self) -> Self {
        let a = &self.0;
        let mut wide = [0u32; 16];
        for i in 0..7 {
            let mut carry = 0u64;
            let ai = u64::from(a[i]);
            for j in (i + 1)..8 {
                let t = ai * u64::from(a[j]) + u64::from(wide[i + j]) + carry;
                wide[i + j] = t as u32;
                carry = t >> 32;
            }
            wide[i + 8] = carry as u32;
        }
        // The off-diagonal sum is below 2^511: doubling it loses nothing.
        let mut top = 0u32;
        for w in &mut wide {
            let v = *w;
            *w = (v << 1) | top;
            top = v >> 31;
        }
        let mut carry = 0u64;
        for i in 0..8 {
            let sq = u64::from(a[i]) * u64::from(a[i]);
            let lo = u64::from(wide[2 * i]) + (sq & 0xffff_ffff) + carry;
            wide[2 * i] = lo as u32;
            let hi = u64::from(wide[2 * i + 1]) + (sq >> 32) + (lo >> 32);
            wide[2 * i + 1] = hi as u32;
            carry = hi >> 32;
        }
        Self::reduce(&wide)
    }

    /// The NIST fast reduction of a 512-bit product (SP 800-186 G.1.2): nine 256-bit terms made
    /// of 32-bit words, s1 + 2·s2 + 2·s3 + s4 + s5 − s6 − s7 − s8 − s9, summed per word.
    fn reduce(c: &[u32; 16]) -> Self {
        let c: [i64; 16] = c.map(i64::from);
        let words = [
            c[0] + c[8] + c[9] - c[11] - c[12] - c[13] - c[14],
            c[1] + c[9] + c[10] - c[12] - c[13] - c[14] - c[15],
            c[2] + c[10] + c[11] - c[13] - c[14] - c[15],
            c[3] + 2 * c[11] + 2 * c[12] + c[13] - c[15] - c[8] - c[9],
            c[4] + 2 * c[12] + 2 * c[13] + c[14] - c[9] - c[10],
            c[5] + 2 * c[13] + 2 * c[14] + c[15] - c[10] - c[11],
            c[6] + 3 * c[14] + 2 * c[15] + c[13] - c[8] - c[9],
            c[7] + 3 * c[15] + c[8] - c[10] - c[11] - c[12] - c[13],
        ];
        Self::normalize(words)
    }

    /// Signed 32-bit-word sums (each within ±2^36) to a reduced element.
    fn normalize(mut w: [i64; 8]) -> Self {
        loop {
            let mut carry = 0i64;
            for x in &mut w {
                let t = *x + carry;
                *x = t & 0xffff_ffff;
                carry = t >> 32;
            }
            if carry == 0 {
                break;
            }
            // carry·2^256 ≡ carry·(2^224 − 2^192 − 2^96 + 1) (mod p). Terminates: a positive
            // carry leaves at most a carry of 1 on a small value, a negative one at most one
            // more negative round (2·(2^256 mod p) < 2^256).
            w[0] += carry;
            w[3] -= carry;
            w[6] -= carry;
            w[7] += carry;
        }
        let limbs = w.map(|x| x as u32);
        // limbs < 2^256 < 2p: at most one subtraction.
        if geq(&limbs, &P) {
            Self(sub_limbs(&limbs, &P).0)
        } else {
            Self(limbs)
        }
    }

    /// `self^(p−2)`: the inverse of a non-zero element (Fermat), 0 for 0.
    fn invert(&self) -> Self {
        let mut exp = P;
        exp[0] = 0xffff_fffd;
        let mut acc = Self::ONE;
        for i in (0..8).rev() {
            for bit in (0..32).rev() {
                acc = acc.square();
                if exp[i] >> bit & 1 == 1 {
                    acc = acc.mul(self);
                }
            }
        }
        acc
    }
}

/// b of y² = x³ − 3x + b.
const B: Fe = Fe([
    0x27d2_604b,
    0x3bce_3c3e,
    0xcc53_b0f6,
    0x651d_06b0,
    0x7698_86bc,
    0xb3eb_bd55,
    0xaa3a_93e7,
    0x5ac6_35d8,
]);

/// A point in affine coordinates (never the identity).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Affine {
    x: Fe,
    y: Fe,
}

const GENERATOR: Affine = Affine {
    x: Fe([
        0xd898_c296,
        0xf4a1_3945,
        0x2deb_33a0,
        0x7703_7d81,
        0x63a4_40f2,
        0xf8bc_e6e5,
        0xe12c_4247,
        0x6b17_d1f2,
    ]),
    y: Fe([
        0x37bf_51f5,
        0xcbb6_4068,
        0x6b31_5ece,
        0x2bce_3357,
        0x7c0f_9e16,
        0x8ee7_eb4a,
        0xfe1a_7f9b,
        0x4fe3_42e2,
    ]),
};

impl Affine {
    /// The point of an uncompressed SEC1 encoding (`04 ‖ x ‖ y`) on the curve, else `None`.
    pub(crate) fn from_uncompressed(sec1: &[u8]) -> Option<Self> {
        let (&tag, rest) = sec1.split_first()?;
        if tag != 4 || rest.len() != 64 {
            return None;
        }
        let (xb, yb) = rest.split_at(32);
        let x = Fe::from_bytes(xb.try_into().ok()?)?;
        let y = Fe::from_bytes(yb.try_into().ok()?)?;
        let three_x = x.double().add(&x);
        let rhs = x.square().mul(&x).sub(&three_x).add(&B);
        (y.square() == rhs).then_some(Self { x, y })
    }

    fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
        }
    }
}

/// A point in Jacobian coordinates (X/Z², Y/Z³); Z = 0 is the identity.
#[derive(Clone, Copy, Debug)]
struct Jacobian {
    x: Fe,
    y: Fe,
    z: Fe,
}

impl Jacobian {
    const IDENTITY: Self = Self {
        x: Fe::ONE,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    fn from_affine(p: &Affine) -> Self {
        Self {
            x: p.x,
            y: p.y,
            z: Fe::ONE,
        }
    }

    fn is_identity(&self) -> bool {
        self.z.is_zero()
    }

    /// dbl-2001-b (a = −3). The identity doubles to itself (Z stays 0); P-256 has no point
    /// with y = 0.
    fn double(&self) -> Self {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        let t = self.x.sub(&delta).mul(&self.x.add(&delta));
        let alpha = t.double().add(&t);
        let beta4 = beta.double().double();
        let x3 = alpha.square().sub(&beta4.double());
        let z3 = self.y.add(&self.z).square().sub(&gamma).sub(&delta);
        let gamma2 = gamma.square();
        let y3 = alpha
            .mul(&beta4.sub(&x3))
            .sub(&gamma2.double().double().double());
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// madd-2007-bl: `self + q` with q affine.
    fn add_affine(&self, q: &Affine) -> Self {
        if self.is_identity() {
            return Self::from_affine(q);
        }
        let z1z1 = self.z.square();
        let u2 = q.x.mul(&z1z1);
        let s2 = q.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y).double();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h.mul(&i);
        let v = self.x.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&self.y.mul(&j).double());
        let z3 = self.z.add(&h).square().sub(&z1z1).sub(&hh);
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// add-2007-bl: `self + q`, both Jacobian.
    fn add(&self, q: &Self) -> Self {
        if self.is_identity() {
            return *q;
        }
        if q.is_identity() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = q.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = q.x.mul(&z1z1);
        let s1 = self.y.mul(&q.z).mul(&z2z2);
        let s2 = q.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1).double();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let i = h.double().square();
        let j = h.mul(&i);
        let v = u1.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&j).double());
        let z3 = self.z.add(&q.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }
}

/// Jacobian points (none the identity) to affine with one inversion (Montgomery's trick).
fn normalize_all(points: &[Jacobian]) -> Vec<Affine> {
    let mut prefix = Vec::with_capacity(points.len());
    let mut acc = Fe::ONE;
    for p in points {
        prefix.push(acc);
        acc = acc.mul(&p.z);
    }
    let mut inv = acc.invert();
    let mut out = vec![
        Affine {
            x: Fe::ZERO,
            y: Fe::ZERO
        };
        points.len()
    ];
    for (i, p) in points.iter().enumerate().rev() {
        let zinv = inv.mul(&prefix[i]);
        inv = inv.mul(&p.z);
        let zinv2 = zinv.square();
        out[i] = Affine {
            x: p.x.mul(&zinv2),
            y: p.y.mul(&zinv2).mul(&zinv),
        };
    }
    out
}

/// Radix-16 windows in a comb, and multiples per window.
const WINDOWS: usize = 64;
const PER_WINDOW: usize = 8;

/// A fixed-base comb: `table[i·8 + j − 1] = j·16^i·P` for `j = 1..8`, affine (32 KiB).
#[derive(Clone, Debug)]
pub(crate) struct Comb {
    table: Vec<Affine>,
}

impl Comb {
    pub(crate) fn new(p: &Affine) -> Self {
        let mut points = Vec::with_capacity(WINDOWS * PER_WINDOW);
        let mut base = Jacobian::from_affine(p);
        for _ in 0..WINDOWS {
            let mut m = base;
            points.push(m);
            for j in 2..=PER_WINDOW {
                m = if j == 2 { base.double() } else { m.add(&base) };
                points.push(m);
            }
            // 16·base = 2·(8·base).
            base = m.double();
        }
        Self {
            table: normalize_all(&points),
        }
    }

    /// Adds `k·P` to `acc` (k < n, as big-endian bytes): at most 64 mixed additions.
    fn mul_add(&self, acc: &mut Jacobian, k: &Scalar) {
        let (bytes, negate) = small_half(k);
        let digits = radix16(&bytes);
        for (i, &d) in digits.iter().enumerate() {
            if d == 0 {
                continue;
            }
            let p = &self.table[i * PER_WINDOW + usize::from(d.unsigned_abs()) - 1];
            *acc = if (d < 0) != negate {
                acc.add_affine(&p.neg())
            } else {
                acc.add_affine(p)
            };
        }
    }
}

type Scalar = p256::Scalar;

/// `k` itself, or `n − k` and `true` when `k > n/2`, as big-endian bytes (then `< 2^255`).
fn small_half(k: &Scalar) -> ([u8; 32], bool) {
    let high = bool::from(k.is_high());
    let k = if high { -*k } else { *k };
    (k.to_repr().into(), high)
}

/// Signed radix-16 digits in [−7, 8], least significant first, of a value `< 2^255`.
fn radix16(bytes: &[u8; 32]) -> [i8; WINDOWS] {
    let mut digits = [0i8; WINDOWS];
    let mut carry = 0i8;
    for (i, d) in digits.iter_mut().enumerate() {
        let byte = bytes[31 - i / 2];
        let nibble = (if i % 2 == 0 { byte & 0x0f } else { byte >> 4 }) as i8;
        let v = nibble + carry;
        (*d, carry) = if v > 8 { (v - 16, 1) } else { (v, 0) };
    }
    // The top nibble of a value < 2^255 is at most 7, so nothing is left over.
    debug_assert_eq!(carry, 0);
    digits
}

/// Width-5 non-adjacent form, least significant first: odd digits in [−15, 15].
fn wnaf5(bytes: &[u8; 32]) -> Vec<i8> {
    // Nine limbs: subtracting a negative digit may carry past 2^256 for a moment.
    let mut k = [0u32; 9];
    k[..8].copy_from_slice(&from_be_bytes(bytes));
    let mut out = Vec::with_capacity(257);
    while k != [0; 9] {
        let digit = if k[0] & 1 == 1 {
            let low = (k[0] & 31) as i8;
            let d = if low >= 16 { low - 32 } else { low };
            // k −= d.
            if d > 0 {
                k[0] -= d as u32;
            } else {
                let mut carry = u64::from(d.unsigned_abs());
                for limb in &mut k {
                    let t = u64::from(*limb) + carry;
                    *limb = t as u32;
                    carry = t >> 32;
                }
            }
            d
        } else {
            0
        };
        out.push(digit);
        for i in 0..9 {
            k[i] = (k[i] >> 1) | if i < 8 { k[i + 1] << 31 } else { 0 };
        }
    }
    out
}

/// The generator's comb, built on first use.
fn generator_comb() -> &'static Comb {
    static COMB: OnceLock<Comb> = OnceLock::new();
    COMB.get_or_init(|| Comb::new(&GENERATOR))
}

/// How many per-key combs may be alive at once (each 32 KiB): at most 2 MiB in all.
const MAX_KEY_COMBS: usize = 64;
static KEY_COMBS: AtomicUsize = AtomicUsize::new(0);

/// A key's comb, counted against [`MAX_KEY_COMBS`] while it lives.
#[derive(Debug)]
pub(crate) struct KeyComb(Comb);

impl KeyComb {
    /// A comb for `q`, or `None` when the process-wide budget is spent.
    fn try_new(q: &Affine) -> Option<Self> {
        KEY_COMBS
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_KEY_COMBS).then_some(n + 1)
            })
            .ok()?;
        Some(Self(Comb::new(q)))
    }
}

impl Drop for KeyComb {
    fn drop(&mut self) {
        KEY_COMBS.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A P-256 public key for verification: the point, and a comb built once the key has
/// verified [`Self::COMB_AFTER`] signatures (identity-server and AS keys, a WIT's `cnf` key
/// over its lifetime).
#[derive(Debug)]
pub(crate) struct VerifyKey {
    q: Affine,
    uses: AtomicUsize,
    comb: OnceLock<Option<KeyComb>>,
}

impl Clone for VerifyKey {
    fn clone(&self) -> Self {
        Self::new(self.q)
    }
}

impl VerifyKey {
    /// Verifications on the wNAF path before the key's own comb (about eight verifications'
    /// worth of work) is built.
    const COMB_AFTER: usize = 2;

    pub(crate) fn new(q: Affine) -> Self {
        Self {
            q,
            uses: AtomicUsize::new(0),
            comb: OnceLock::new(),
        }
    }

    /// Counts a use and says whether the key's comb is ready. Until it is, callers verify with
    /// the `p256` crate: a fresh instance per request (a wasi:http guard, Spin) then never pays
    /// for building the generator's comb, and a long-lived verifier moves a busy key onto the
    /// comb path after [`Self::COMB_AFTER`] uses.
    pub(crate) fn is_warm(&self) -> bool {
        self.comb().is_some()
    }

    fn comb(&self) -> Option<&Comb> {
        if let Some(built) = self.comb.get() {
            return built.as_ref().map(|k| &k.0);
        }
        if self.uses.fetch_add(1, Ordering::Relaxed) < Self::COMB_AFTER {
            return None;
        }
        self.comb
            .get_or_init(|| KeyComb::try_new(&self.q))
            .as_ref()
            .map(|k| &k.0)
    }

    /// ECDSA P-256 with SHA-256: `signature` is r ‖ s (64 bytes, RFC 7518 §3.4).
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Some((r_bytes, s_bytes)) = signature
            .split_at_checked(32)
            .filter(|(_, s)| s.len() == 32)
        else {
            return false;
        };
        let (Ok(r_arr), Ok(s_arr)) = (<[u8; 32]>::try_from(r_bytes), <[u8; 32]>::try_from(s_bytes))
        else {
            return false;
        };
        let r: Option<Scalar> = Scalar::from_repr(r_arr.into()).into();
        let s: Option<Scalar> = Scalar::from_repr(s_arr.into()).into();
        let (Some(r), Some(s)) = (r, s) else {
            return false;
        };
        if bool::from(r.is_zero()) || bool::from(s.is_zero()) {
            return false;
        }
        let digest: [u8; 32] = sha2::Sha256::digest(message).into();
        let e =
            <Scalar as p256::elliptic_curve::ops::Reduce<p256::FieldBytes>>::reduce(&digest.into());
        let Some(w) = Option::<Scalar>::from(s.invert_vartime()) else {
            return false;
        };
        let (u1, u2) = (e * w, r * w);
        let mut acc = match self.comb() {
            Some(comb) => {
                let mut acc = Jacobian::IDENTITY;
                comb.mul_add(&mut acc, &u2);
                acc
            }
            None => self.mul_wnaf(&u2),
        };
        generator_comb().mul_add(&mut acc, &u1);
        if acc.is_identity() {
            return false;
        }
        // x(R) = X/Z² ≡ r (mod n): X = r·Z², or X = (r + n)·Z² when r + n < p.
        let z2 = acc.z.square();
        let r_limbs = from_be_bytes(&r_arr);
        if Fe(r_limbs).mul(&z2) == acc.x {
            return true;
        }
        let (r_plus_n, carry) = add_limbs(&r_limbs, &N);
        !carry && !geq(&r_plus_n, &P) && Fe(r_plus_n).mul(&z2) == acc.x
    }

    /// `k·Q` with a width-5 wNAF over Q's odd multiples (Q, 3Q, …, 15Q, affine). Only
    /// [`Self::verify`] on a key without a comb gets here; the library sends such keys to the
    /// `p256` crate until this cold path is faster than it (measured: about 325 µs against
    /// 370 µs natively, while building the generator's comb costs several verifications).
    fn mul_wnaf(&self, k: &Scalar) -> Jacobian {
        let q = Jacobian::from_affine(&self.q);
        let q2 = q.double();
        let mut odd = Vec::with_capacity(8);
        let mut m = q;
        odd.push(m);
        for _ in 1..8 {
            m = m.add(&q2);
            odd.push(m);
        }
        let odd = normalize_all(&odd);
        let bytes: [u8; 32] = k.to_repr().into();
        let digits = wnaf5(&bytes);
        let mut acc = Jacobian::IDENTITY;
        for &d in digits.iter().rev() {
            acc = acc.double();
            if d != 0 {
                let p = &odd[usize::from(d.unsigned_abs()) / 2];
                acc = if d < 0 {
                    acc.add_affine(&p.neg())
                } else {
                    acc.add_affine(p)
                };
            }
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::{Signer as _, Verifier as _};

    /// A small deterministic generator (xorshift64*), enough to pick test inputs.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn bytes(&mut self) -> [u8; 32] {
            let mut out = [0u8; 32];
            for chunk in out.chunks_mut(8) {
                chunk.copy_from_slice(&self.next().to_le_bytes());
            }
            out
        }
        fn fe(&mut self) -> Fe {
            loop {
                if let Some(f) = Fe::from_bytes(&self.bytes()) {
                    return f;
                }
            }
        }
    }

    fn to_big(f: &Fe) -> num_big::Big {
        num_big::Big::from_limbs(&f.0)
    }

    /// A tiny arbitrary-precision reference (schoolbook over u32 limbs) for the field tests.
    mod num_big {
        #[derive(Clone, PartialEq, Eq, Debug)]
        pub struct Big(pub Vec<u32>);
        impl Big {
            pub fn from_limbs(l: &[u32]) -> Self {
                let mut v = l.to_vec();
                while v.last() == Some(&0) {
                    v.pop();
                }
                Big(v)
            }
            pub fn mul(&self, o: &Self) -> Self {
                let mut r = vec![0u32; self.0.len() + o.0.len() + 1];
                for (i, &a) in self.0.iter().enumerate() {
                    let mut carry = 0u64;
                    for (j, &b) in o.0.iter().enumerate() {
                        let t = u64::from(a) * u64::from(b) + u64::from(r[i + j]) + carry;
                        r[i + j] = t as u32;
                        carry = t >> 32;
                    }
                    let mut k = i + o.0.len();
                    while carry != 0 {
                        let t = u64::from(r[k]) + carry;
                        r[k] = t as u32;
                        carry = t >> 32;
                        k += 1;
                    }
                }
                Big::from_limbs(&r)
            }
            fn cmp(&self, o: &Self) -> std::cmp::Ordering {
                self.0
                    .len()
                    .cmp(&o.0.len())
                    .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
            }
            fn sub(&self, o: &Self) -> Self {
                let mut r = self.0.clone();
                let mut borrow = 0i64;
                for (i, x) in r.iter_mut().enumerate() {
                    let t = i64::from(*x) - i64::from(*o.0.get(i).unwrap_or(&0)) - borrow;
                    *x = t.rem_euclid(1 << 32) as u32;
                    borrow = i64::from(t < 0);
                }
                Big::from_limbs(&r)
            }
            /// Remainder by repeated shifted subtraction (slow, fine for tests).
            pub fn rem(&self, m: &Self) -> Self {
                let mut r = self.clone();
                let bits = |b: &Big| b.0.len() * 32;
                while r.cmp(m) != std::cmp::Ordering::Less {
                    let mut shift = bits(&r).saturating_sub(bits(m));
                    loop {
                        let s = m.shl(shift);
                        if s.cmp(&r) != std::cmp::Ordering::Greater {
                            r = r.sub(&s);
                            break;
                        }
                        shift -= 1;
                    }
                }
                r
            }
            fn shl(&self, n: usize) -> Self {
                let (words, bits) = (n / 32, n % 32);
                let mut r = vec![0u32; words];
                let mut carry = 0u32;
                for &x in &self.0 {
                    r.push(if bits == 0 { x } else { (x << bits) | carry });
                    carry = if bits == 0 { 0 } else { x >> (32 - bits) };
                }
                r.push(carry);
                Big::from_limbs(&r)
            }
        }
    }

    #[test]
    fn field_multiplication_matches_a_reference() {
        let p = num_big::Big::from_limbs(&P);
        let mut rng = Rng(0x1234_5678_9abc_def1);
        let mut cases: Vec<(Fe, Fe)> = (0..300).map(|_| (rng.fe(), rng.fe())).collect();
        // Edge values: 0, 1, p−1, p−2, values with all-ones or all-zero words.
        let p_minus = |k: u32| Fe(sub_limbs(&P, &[k, 0, 0, 0, 0, 0, 0, 0]).0);
        let edges = [
            Fe::ZERO,
            Fe::ONE,
            p_minus(1),
            p_minus(2),
            Fe([
                0xffff_ffff,
                0,
                0xffff_ffff,
                0,
                0xffff_ffff,
                0,
                0,
                0x8000_0000,
            ]),
            Fe([0, 0, 0, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0, 0]),
        ];
        for a in edges {
            for b in edges {
                cases.push((a, b));
            }
        }
        for (a, b) in cases {
            let want = to_big(&a).mul(&to_big(&b)).rem(&p);
            assert_eq!(to_big(&a.mul(&b)), want, "{a:?} * {b:?}");
            assert_eq!(
                to_big(&a.square()),
                to_big(&a).mul(&to_big(&a)).rem(&p),
                "{a:?}²"
            );
            assert!(!geq(&a.mul(&b).0, &P));
        }
    }

    #[test]
    fn field_laws_hold() {
        let mut rng = Rng(42);
        for _ in 0..200 {
            let (a, b, c) = (rng.fe(), rng.fe(), rng.fe());
            assert_eq!(a.add(&b), b.add(&a));
            assert_eq!(a.mul(&b), b.mul(&a));
            assert_eq!(a.square(), a.mul(&a));
            assert_eq!(a.mul(&b).mul(&c), a.mul(&b.mul(&c)));
            assert_eq!(a.add(&b).mul(&c), a.mul(&c).add(&b.mul(&c)));
            assert_eq!(a.sub(&b).add(&b), a);
            assert_eq!(a.add(&a.neg()), Fe::ZERO);
            if !a.is_zero() {
                assert_eq!(a.mul(&a.invert()), Fe::ONE);
            }
        }
        assert_eq!(Fe::ZERO.invert(), Fe::ZERO);
    }

    fn affine_of(p: &Jacobian) -> Option<Affine> {
        (!p.is_identity()).then(|| normalize_all(&[*p])[0])
    }

    fn p256_point(k: &Scalar) -> Affine {
        use p256::elliptic_curve::sec1::ToSec1Point as _;
        let pt = (p256::ProjectivePoint::GENERATOR * k).to_affine();
        Affine::from_uncompressed(pt.to_sec1_point(false).as_bytes()).unwrap()
    }

    fn scalar(rng: &mut Rng) -> Scalar {
        <Scalar as p256::elliptic_curve::ops::Reduce<p256::FieldBytes>>::reduce(&rng.bytes().into())
    }

    #[test]
    fn group_laws_and_the_generator() {
        assert!(Affine::from_uncompressed(&sec1(&GENERATOR)).is_some());
        let g = Jacobian::from_affine(&GENERATOR);
        // Doubling and adding agree: 2G + G = G + 2G = 3G, with mixed and full additions.
        let g2 = g.double();
        let g3a = affine_of(&g2.add_affine(&GENERATOR)).unwrap();
        let g3b = affine_of(&g.add(&g2)).unwrap();
        assert_eq!(g3a, g3b);
        assert_eq!(g3a, p256_point(&Scalar::from(3u64)));
        // Exceptional cases: P + P, P + (−P), O + P, P + O.
        assert_eq!(
            affine_of(&g.add_affine(&GENERATOR)).unwrap(),
            affine_of(&g2).unwrap()
        );
        assert!(g.add_affine(&GENERATOR.neg()).is_identity());
        assert!(
            g.add(&Jacobian::from_affine(&GENERATOR.neg()))
                .is_identity()
        );
        assert_eq!(
            affine_of(&Jacobian::IDENTITY.add_affine(&GENERATOR)).unwrap(),
            GENERATOR
        );
        assert_eq!(affine_of(&g.add(&Jacobian::IDENTITY)).unwrap(), GENERATOR);
        assert!(Jacobian::IDENTITY.double().is_identity());
        // Off-curve and out-of-range encodings are refused.
        let mut bad = sec1(&GENERATOR);
        bad[64] ^= 1;
        assert!(Affine::from_uncompressed(&bad).is_none());
        assert!(Affine::from_uncompressed(&[4; 65]).is_none());
        assert!(Affine::from_uncompressed(&bad[..64]).is_none());
    }

    fn sec1(p: &Affine) -> Vec<u8> {
        let mut out = vec![4u8];
        for f in [p.x, p.y] {
            for limb in f.0.iter().rev() {
                out.extend_from_slice(&limb.to_be_bytes());
            }
        }
        out
    }

    #[test]
    fn comb_and_wnaf_match_p256_scalar_multiplication() {
        let mut rng = Rng(7);
        let comb = generator_comb();
        let key = VerifyKey::new(GENERATOR);
        let mut ks: Vec<Scalar> = (0..40).map(|_| scalar(&mut rng)).collect();
        ks.extend([
            Scalar::ONE,
            Scalar::from(2u64),
            Scalar::from(15u64),
            Scalar::from(16u64),
            -Scalar::ONE,
            -Scalar::from(16u64),
        ]);
        for k in ks {
            let want = p256_point(&k);
            let mut acc = Jacobian::IDENTITY;
            comb.mul_add(&mut acc, &k);
            assert_eq!(affine_of(&acc).unwrap(), want);
            assert_eq!(affine_of(&key.mul_wnaf(&k)).unwrap(), want);
        }
        let mut acc = Jacobian::IDENTITY;
        comb.mul_add(&mut acc, &Scalar::ZERO);
        assert!(acc.is_identity());
    }

    #[test]
    fn digit_recodings_reconstruct_the_scalar() {
        let mut rng = Rng(99);
        for _ in 0..200 {
            let k = scalar(&mut rng);
            let (bytes, _) = small_half(&k);
            let value = |digits: &[i8], radix: i128| {
                // Checked on the low 120 bits only (the top ones are covered by the point tests).
                digits.iter().rev().fold(0i128, |acc, &d| {
                    acc.wrapping_mul(radix).wrapping_add(i128::from(d))
                })
            };
            let low = u128::from_be_bytes(bytes[16..].try_into().unwrap()) & ((1u128 << 120) - 1);
            let digits = radix16(&bytes);
            assert!(digits.iter().all(|d| (-7..=8).contains(d)));
            assert_eq!(value(&digits[..30], 16) as u128 & ((1u128 << 120) - 1), low);
            let naf = wnaf5(&bytes);
            assert!(
                naf.iter()
                    .all(|d| *d == 0 || (d % 2 != 0 && (-15..=15).contains(d)))
            );
            assert_eq!(value(&naf[..120], 2) as u128 & ((1u128 << 120) - 1), low);
        }
    }

    #[test]
    fn verification_agrees_with_the_p256_crate() {
        let mut rng = Rng(2024);
        for round in 0..24 {
            let sk = p256::ecdsa::SigningKey::from_slice(&rng.bytes()).unwrap();
            let vk = sk.verifying_key();
            use p256::elliptic_curve::sec1::ToSec1Point as _;
            let q =
                Affine::from_uncompressed(vk.as_affine().to_sec1_point(false).as_bytes()).unwrap();
            let key = VerifyKey::new(q);
            let msg = rng.bytes();
            let sig: p256::ecdsa::Signature = sk.sign(&msg);
            let mut bytes = sig.to_bytes().to_vec();
            // Several uses, so later rounds go through the key's comb.
            for _ in 0..3 {
                assert!(key.verify(&msg, &bytes), "round {round}");
            }
            // The (r, n − s) twin verifies in both.
            let twin = p256::ecdsa::Signature::from_scalars(sig.r(), -*sig.s()).unwrap();
            assert!(key.verify(&msg, &twin.to_bytes()));
            assert!(vk.verify(&msg, &twin).is_ok());
            // Any flipped bit fails in both.
            let bit = (rng.next() % 512) as usize;
            bytes[bit / 8] ^= 1 << (bit % 8);
            let p256_ok = p256::ecdsa::Signature::from_slice(&bytes)
                .is_ok_and(|s| vk.verify(&msg, &s).is_ok());
            assert_eq!(key.verify(&msg, &bytes), p256_ok);
            assert!(!key.verify(b"other", &sig.to_bytes()));
        }
    }

    #[test]
    fn malformed_signatures_fail() {
        let key = VerifyKey::new(GENERATOR);
        assert!(!key.verify(b"m", &[]));
        assert!(!key.verify(b"m", &[1; 63]));
        assert!(!key.verify(b"m", &[1; 65]));
        assert!(!key.verify(b"m", &[0; 64]));
        // r = n (out of range), s = 1.
        let mut sig = [0u8; 64];
        for (i, limb) in N.iter().rev().enumerate() {
            sig[i * 4..i * 4 + 4].copy_from_slice(&limb.to_be_bytes());
        }
        sig[63] = 1;
        assert!(!key.verify(b"m", &sig));
    }

    #[test]
    fn key_combs_are_bounded() {
        let q = GENERATOR;
        let keys: Vec<VerifyKey> = (0..MAX_KEY_COMBS + 8).map(|_| VerifyKey::new(q)).collect();
        let built = keys
            .iter()
            .filter(|k| {
                (0..=VerifyKey::COMB_AFTER).for_each(|_| {
                    let _ = k.comb();
                });
                k.comb().is_some()
            })
            .count();
        assert!(built <= MAX_KEY_COMBS);
        assert!(KEY_COMBS.load(Ordering::Acquire) <= MAX_KEY_COMBS);
        drop(keys);
    }
}
