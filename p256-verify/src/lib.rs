//! ECDSA P-256 verification (FIPS 186-5 §6.4.2) on public data only, in variable time.
//!
//! Verification handles nothing secret (the key, the message and the signature are public), so
//! this path may branch on data. Signing keeps the constant-time `p256` crate.
//!
//! - **Field** (mod p = 2^256 − 2^224 + 2^192 + 2^96 − 1): stored as eight 32-bit limbs.
//!   Products are summed per column without carries: 32 × 32 → 64-bit products on wasm32
//!   (which has no 64 × 64 → 128 multiply and would emulate it), 64 × 64 → 128-bit products on
//!   x86-64 and aarch64, where additions and subtractions also run in 64-bit limbs. Both
//!   reduce with the NIST fast reduction (SP 800-186 Appendix G.1.2: additions of 32-bit
//!   words, no Montgomery form). Every element is kept fully reduced; inversion is Fermat's
//!   with an addition chain.
//! - **Group**: Jacobian coordinates, a = −3 doubling (3M+5S), mixed Jacobian–affine additions
//!   (8M+3S, with Z3 = 2·Z1·H) and Jacobian additions (12M+4S; 11M+3S when the addend's Z² and
//!   Z³ are kept), with the exceptional cases (equal points, opposite points, the identity)
//!   handled by branches.
//! - **u1·G + u2·Q, cold key** (Straus–Shamir): one chain of 256 doublings shared by a
//!   width-7 wNAF of u1 over the generator's 32 odd multiples (affine, compiled in) and a
//!   width-5 wNAF of u2 over Q's 8 odd multiples, built per verification and kept Jacobian
//!   with their Z² and Z³ (no inversion: 3 more multiplications on each of ~43 additions cost
//!   less than the 267 of an inversion).
//! - **u1·G + u2·Q, busy key**: no doublings at all. Fixed-base combs (64 radix-16 windows of
//!   `j·16^i·P`, `j = 1..8`, affine, 32 KiB) for the generator and for Q, built once Q has
//!   verified [`VerifyKey::COMB_AFTER`] signatures and counted against a process-wide bound:
//!   at most 64 additions each. A scalar above n/2 is replaced by n − k with the points
//!   negated, so 64 signed digits in [−7, 8] suffice.
//! - **No final inversion**: `x(R) mod n = r` is checked as `X = r·Z²` (or `(r + n)·Z²` when
//!   `r + n < p`) on the Jacobian result.
//!
//! This crate is separate from `a2a-auth` for one reason: the size-tuned wasm profile
//! (`opt-level = "s"`) would leave its limb loops rolled and its field operations out of line,
//! about 3x slower; the workspace's `wasm` profile builds this crate alone at `opt-level = 3`.
//!
//! Scalars (mod n) come from the `p256` crate. Every answer is checked against the `p256`
//! crate by the unit tests, the Wycheproof suite (natively and in every wasm host) and three
//! fuzz targets: `p256_field`, `p256_group` and `p256_differential` (whole verifications).
//! `make profile` times each step, natively and as wasm.
#![expect(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    reason = "limb arithmetic on fixed-size arrays: every index is a loop counter below the \
              array's length, every product is u32 × u32 in a u64 or u64 × u64 in a u128, \
              every column stays below 2^37 and every unreduced word within ±2^48 (checked \
              by a debug assertion), and the low-word casts are the point; tests and fuzzing \
              run with overflow checks"
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

/// p in 64-bit limbs, least significant first.
#[cfg(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    test,
    feature = "fuzzing",
    feature = "profile"
))]
const P64: [u64; 4] = [u64::MAX, 0xffff_ffff, 0, 0xffff_ffff_0000_0001];

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

/// `a + b` and the carry out. The carry rides in the top half of a 64-bit sum: three
/// instructions a limb, in wasm as natively.
#[inline]
fn add_limbs(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut out = [0u32; 8];
    let mut t = 0u64;
    for i in 0..8 {
        t += u64::from(a[i]) + u64::from(b[i]);
        out[i] = t as u32;
        t >>= 32;
    }
    (out, t != 0)
}

/// `a − b` mod 2^256 and the borrow out, the borrow as a signed 64-bit carry (0 or −1).
#[cfg(any(
    not(any(target_arch = "x86_64", target_arch = "aarch64")),
    test,
    feature = "fuzzing",
    feature = "profile"
))]
#[inline]
fn sub_limbs(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut out = [0u32; 8];
    let mut t = 0i64;
    for i in 0..8 {
        t += i64::from(a[i]) - i64::from(b[i]);
        out[i] = t as u32;
        t >>= 32;
    }
    (out, t != 0)
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

/// 64-bit-weighted column sums (each below 2^68) as 32-bit-weighted columns: the low 32 bits
/// of each, and the rest (below 2^36) one column up.
#[cfg(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    test,
    feature = "fuzzing",
    feature = "profile"
))]
#[inline]
fn split_columns(sums: &[u128; 8]) -> [u64; 16] {
    std::array::from_fn(|k| {
        let s = sums[k / 2];
        (if k % 2 == 0 { s & 0xffff_ffff } else { s >> 32 }) as u64
    })
}

/// A field element mod p, always fully reduced (`< p`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Fe(Limbs);

impl Fe {
    const ZERO: Self = Self([0; 8]);
    const ONE: Self = Self([1, 0, 0, 0, 0, 0, 0, 0]);

    /// The element for big-endian bytes, or `None` when they are `>= p`.
    fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        let limbs = from_be_bytes(bytes);
        (!geq(&limbs, &P)).then_some(Self(limbs))
    }

    /// An OR of the limbs: a few instructions where an array comparison may become a call
    /// (every doubling and addition asks).
    #[inline]
    fn is_zero(&self) -> bool {
        self.0.iter().fold(0, |acc, &limb| acc | limb) == 0
    }

    /// `self + b`: `a + b` and `a + b − p` side by side (two independent carry chains), then
    /// the one that lies in [0, p). In 64-bit limbs on 64-bit CPUs (half the steps), else in
    /// 32-bit limbs.
    #[inline]
    fn add(&self, b: &Self) -> Self {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        return self.add_64(b);
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        return self.add_32(b);
    }

    /// `self − b`: `a − b` and `a − b + p` side by side, then the one that lies in [0, p); limbs
    /// as in [`Self::add`].
    #[inline]
    fn sub(&self, b: &Self) -> Self {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        return self.sub_64(b);
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        return self.sub_32(b);
    }

    /// [`Self::add`] in 64-bit limbs.
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn add_64(&self, b: &Self) -> Self {
        let (a, b) = (self.wide(), b.wide());
        let (mut sum, mut reduced) = ([0u64; 4], [0u64; 4]);
        let (mut t, mut u) = (0u128, 0i128);
        for i in 0..4 {
            let ab = u128::from(a[i]) + u128::from(b[i]);
            t += ab;
            u += ab as i128 - i128::from(P64[i]);
            sum[i] = t as u64;
            reduced[i] = u as u64;
            t >>= 64;
            u >>= 64;
        }
        Self::from_wide(if u < 0 { sum } else { reduced })
    }

    /// [`Self::sub`] in 64-bit limbs.
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn sub_64(&self, b: &Self) -> Self {
        let (a, b) = (self.wide(), b.wide());
        let (mut diff, mut lifted) = ([0u64; 4], [0u64; 4]);
        let (mut t, mut u) = (0i128, 0i128);
        for i in 0..4 {
            let ab = i128::from(a[i]) - i128::from(b[i]);
            t += ab;
            u += ab + i128::from(P64[i]);
            diff[i] = t as u64;
            lifted[i] = u as u64;
            t >>= 64;
            u >>= 64;
        }
        Self::from_wide(if t < 0 { lifted } else { diff })
    }

    /// [`Self::add`] in 32-bit limbs.
    #[cfg(any(
        not(any(target_arch = "x86_64", target_arch = "aarch64")),
        test,
        feature = "fuzzing"
    ))]
    #[inline]
    fn add_32(&self, b: &Self) -> Self {
        let (mut sum, mut reduced) = ([0u32; 8], [0u32; 8]);
        let (mut t, mut u) = (0u64, 0i64);
        for i in 0..8 {
            let ab = u64::from(self.0[i]) + u64::from(b.0[i]);
            t += ab;
            u += ab as i64 - i64::from(P[i]);
            sum[i] = t as u32;
            reduced[i] = u as u32;
            t >>= 32;
            u >>= 32;
        }
        // u is the sign of a + b − p (0 or −1 after the last carry).
        Self(if u < 0 { sum } else { reduced })
    }

    /// [`Self::sub`] in 32-bit limbs.
    #[cfg(any(
        not(any(target_arch = "x86_64", target_arch = "aarch64")),
        test,
        feature = "fuzzing"
    ))]
    #[inline]
    fn sub_32(&self, b: &Self) -> Self {
        let (mut diff, mut lifted) = ([0u32; 8], [0u32; 8]);
        let (mut t, mut u) = (0i64, 0i64);
        for i in 0..8 {
            let ab = i64::from(self.0[i]) - i64::from(b.0[i]);
            t += ab;
            u += ab + i64::from(P[i]);
            diff[i] = t as u32;
            lifted[i] = u as u32;
            t >>= 32;
            u >>= 32;
        }
        Self(if t < 0 { lifted } else { diff })
    }

    fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    fn double(&self) -> Self {
        self.add(self)
    }

    /// `self · b`: product scanning, column by column, with every 64-bit partial product split
    /// into its halves: the low half joins its own column, the high half the next. No carry
    /// propagates during the multiplication (the additions are independent, which suits
    /// wasm's and a CPU's pipelines alike), every column stays below 2^36, and the reduction
    /// takes the columns as they are. Written out in full so that even the size-tuned wasm
    /// build keeps every value in a register.
    #[inline]
    fn mul(&self, b: &Self) -> Self {
        self.lazy_mul(b).done()
    }

    /// [`Self::mul`] before the final carries, to fuse further terms into.
    #[inline]
    fn lazy_mul(&self, b: &Self) -> Lazy {
        #[cfg(feature = "profile")]
        profile::count(&profile::MULS);
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        return Self::reduce(&self.columns_64(b));
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        return Self::reduce(&self.columns_32(b));
    }

    /// [`Self::square`] before the final carries, to fuse further terms into.
    #[inline]
    fn lazy_square(&self) -> Lazy {
        #[cfg(feature = "profile")]
        profile::count(&profile::SQUARES);
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        return Self::reduce(&self.square_columns_64());
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        return Self::reduce(&self.square_columns_32());
    }

    /// The product's 32-bit-weighted columns, on 64-bit CPUs: four 64-bit limbs, sixteen
    /// independent 64 × 64 → 128-bit multiplies (one instruction each there; wasm32 would
    /// emulate them), each product's halves summed into their 64-bit column positions without
    /// carrying (8 terms below 2^64 each: a sum below 2^67), each sum split into two 32-bit
    /// columns. No carry chain: the reduction takes columns as they are.
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn columns_64(&self, b: &Self) -> [u64; 16] {
        let (a, b) = (self.wide(), b.wide());
        let mut sums = [0u128; 8];
        for i in 0..4 {
            for j in 0..4 {
                let p = u128::from(a[i]) * u128::from(b[j]);
                sums[i + j] += p & u128::from(u64::MAX);
                sums[i + j + 1] += p >> 64;
            }
        }
        split_columns(&sums)
    }

    /// The square's columns on 64-bit CPUs: the 6 off-diagonal products once, doubled, plus
    /// the 4 squares (10 multiplies instead of 16); sums below 2^68.
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn square_columns_64(&self) -> [u64; 16] {
        let a = self.wide();
        let mut sums = [0u128; 8];
        for i in 0..4 {
            for j in (i + 1)..4 {
                let p = u128::from(a[i]) * u128::from(a[j]);
                sums[i + j] += p & u128::from(u64::MAX);
                sums[i + j + 1] += p >> 64;
            }
        }
        for s in &mut sums {
            *s <<= 1;
        }
        for i in 0..4 {
            let p = u128::from(a[i]) * u128::from(a[i]);
            sums[2 * i] += p & u128::from(u64::MAX);
            sums[2 * i + 1] += p >> 64;
        }
        split_columns(&sums)
    }

    /// The four 64-bit limbs.
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn wide(&self) -> [u64; 4] {
        let l = &self.0;
        [0, 1, 2, 3].map(|i| u64::from(l[2 * i]) | (u64::from(l[2 * i + 1]) << 32))
    }

    /// The element of four 64-bit limbs.
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn from_wide(limbs: [u64; 4]) -> Self {
        Self(std::array::from_fn(|k| {
            let limb = limbs[k / 2];
            (if k % 2 == 0 { limb } else { limb >> 32 }) as u32
        }))
    }

    /// The product's 32-bit-weighted columns with 32-bit limbs (wasm32 and other 32-bit
    /// targets): see [`Self::mul`].
    #[cfg(any(
        not(any(target_arch = "x86_64", target_arch = "aarch64")),
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn columns_32(&self, b: &Self) -> [u64; 16] {
        let [a0, a1, a2, a3, a4, a5, a6, a7] = self.0.map(u64::from);
        let [b0, b1, b2, b3, b4, b5, b6, b7] = b.0.map(u64::from);
        /// (this column, carried into the next): the low halves plus the carry-in, the
        /// high halves.
        macro_rules! column {
            ($carry:expr; $($x:ident * $y:ident),+) => {{
                let (mut lo, mut hi) = ($carry, 0u64);
                $(
                    let p = $x * $y;
                    lo += p & 0xffff_ffff;
                    hi += p >> 32;
                )+
                (lo, hi)
            }};
        }
        let (c0, h) = column!(0; a0 * b0);
        let (c1, h) = column!(h; a0 * b1, a1 * b0);
        let (c2, h) = column!(h; a0 * b2, a1 * b1, a2 * b0);
        let (c3, h) = column!(h; a0 * b3, a1 * b2, a2 * b1, a3 * b0);
        let (c4, h) = column!(h; a0 * b4, a1 * b3, a2 * b2, a3 * b1, a4 * b0);
        let (c5, h) = column!(h; a0 * b5, a1 * b4, a2 * b3, a3 * b2, a4 * b1, a5 * b0);
        let (c6, h) = column!(h; a0 * b6, a1 * b5, a2 * b4, a3 * b3, a4 * b2, a5 * b1, a6 * b0);
        let (c7, h) =
            column!(h; a0 * b7, a1 * b6, a2 * b5, a3 * b4, a4 * b3, a5 * b2, a6 * b1, a7 * b0);
        let (c8, h) = column!(h; a1 * b7, a2 * b6, a3 * b5, a4 * b4, a5 * b3, a6 * b2, a7 * b1);
        let (c9, h) = column!(h; a2 * b7, a3 * b6, a4 * b5, a5 * b4, a6 * b3, a7 * b2);
        let (c10, h) = column!(h; a3 * b7, a4 * b6, a5 * b5, a6 * b4, a7 * b3);
        let (c11, h) = column!(h; a4 * b7, a5 * b6, a6 * b5, a7 * b4);
        let (c12, h) = column!(h; a5 * b7, a6 * b6, a7 * b5);
        let (c13, h) = column!(h; a6 * b7, a7 * b6);
        let (c14, h) = column!(h; a7 * b7);
        [
            c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, h,
        ]
    }

    /// `self²`: as [`Self::mul`], with each of the 28 off-diagonal products computed once and
    /// doubled, plus the 8 squares (36 multiplies instead of 64). Columns stay below 2^37.
    #[inline]
    fn square(&self) -> Self {
        self.lazy_square().done()
    }

    /// The square's columns with 32-bit limbs: see [`Self::square`].
    #[cfg(any(
        not(any(target_arch = "x86_64", target_arch = "aarch64")),
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn square_columns_32(&self) -> [u64; 16] {
        let [a0, a1, a2, a3, a4, a5, a6, a7] = self.0.map(u64::from);
        macro_rules! square_column {
            ($carry:expr; [$($x:ident * $y:ident),*] $(; $d:ident * $e:ident)?) => {{
                let (mut lo, mut hi) = (0u64, 0u64);
                $(
                    let p = $x * $y;
                    lo += p & 0xffff_ffff;
                    hi += p >> 32;
                )*
                (lo, hi) = (2 * lo + $carry, 2 * hi);
                $(
                    let p = $d * $e;
                    lo += p & 0xffff_ffff;
                    hi += p >> 32;
                )?
                (lo, hi)
            }};
        }
        let (c0, h) = square_column!(0; []; a0 * a0);
        let (c1, h) = square_column!(h; [a0 * a1]);
        let (c2, h) = square_column!(h; [a0 * a2]; a1 * a1);
        let (c3, h) = square_column!(h; [a0 * a3, a1 * a2]);
        let (c4, h) = square_column!(h; [a0 * a4, a1 * a3]; a2 * a2);
        let (c5, h) = square_column!(h; [a0 * a5, a1 * a4, a2 * a3]);
        let (c6, h) = square_column!(h; [a0 * a6, a1 * a5, a2 * a4]; a3 * a3);
        let (c7, h) = square_column!(h; [a0 * a7, a1 * a6, a2 * a5, a3 * a4]);
        let (c8, h) = square_column!(h; [a1 * a7, a2 * a6, a3 * a5]; a4 * a4);
        let (c9, h) = square_column!(h; [a2 * a7, a3 * a6, a4 * a5]);
        let (c10, h) = square_column!(h; [a3 * a7, a4 * a6]; a5 * a5);
        let (c11, h) = square_column!(h; [a4 * a7, a5 * a6]);
        let (c12, h) = square_column!(h; [a5 * a7]; a6 * a6);
        let (c13, h) = square_column!(h; [a6 * a7]);
        let (c14, h) = square_column!(h; []; a7 * a7);
        [
            c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, h,
        ]
    }

    /// The NIST fast reduction (SP 800-186 G.1.2) of a 512-bit value given as 32-bit-weighted
    /// columns `c[k]` (each below 2^37): nine 256-bit terms made of the words, s1 + 2·s2 +
    /// 2·s3 + s4 + s5 − s6 − s7 − s8 − s9, summed per word. The formula is linear in the
    /// words, so the columns need not be carried first.
    #[inline]
    fn reduce(c: &[u64; 16]) -> Lazy {
        let c: [i64; 16] = c.map(|x| x as i64);
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
        Lazy(words)
    }

    /// Signed 32-bit-weighted word sums (each within ±2^48, see [`Lazy`]) to a reduced
    /// element: [`Self::normalize_64`] on 64-bit CPUs, else [`Self::normalize_32`].
    #[inline]
    fn normalize(w: [i64; 8]) -> Self {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        return Self::normalize_64(w);
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        return Self::normalize_32(w);
    }

    /// [`Self::normalize_32`] in four 64-bit limbs, with 128-bit carries: half as many steps
    /// in each carry chain, which is what a multiplication's latency is made of.
    #[cfg(any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn normalize_64(w: [i64; 8]) -> Self {
        debug_assert!(w.iter().all(|x| x.unsigned_abs() < 1 << 48));
        let mut limbs = [0u64; 4];
        let mut carry = 0i128;
        for j in 0..4 {
            let t = carry + i128::from(w[2 * j]) + (i128::from(w[2 * j + 1]) << 32);
            limbs[j] = t as u64;
            carry = t >> 64;
        }
        // As in `normalize_32`: |carry| < 2^17, then at most one more round of ±1.
        while carry != 0 {
            // carry·δ, δ = 2^224 − 2^192 − 2^96 + 1: +c at 2^0, −c at 2^96 (limb 1, bit 32),
            // c·(2^32 − 1) at 2^192 (limb 3).
            let c = carry;
            let t = i128::from(limbs[0]) + c;
            limbs[0] = t as u64;
            let t = i128::from(limbs[1]) - (c << 32) + (t >> 64);
            limbs[1] = t as u64;
            let t = i128::from(limbs[2]) + (t >> 64);
            limbs[2] = t as u64;
            let t = i128::from(limbs[3]) + c * 0xffff_ffff + (t >> 64);
            limbs[3] = t as u64;
            carry = t >> 64;
        }
        // limbs < 2^256 < 2p: at most one subtraction of p.
        let mut d = [0u64; 4];
        let mut borrow = 0i128;
        for j in 0..4 {
            let t = i128::from(limbs[j]) - i128::from(P64[j]) + borrow;
            d[j] = t as u64;
            borrow = t >> 64;
        }
        Self::from_wide(if borrow < 0 { limbs } else { d })
    }

    /// The carry rounds on 32-bit words (wasm32 and other 32-bit targets).
    #[cfg(any(
        not(any(target_arch = "x86_64", target_arch = "aarch64")),
        test,
        feature = "fuzzing",
        feature = "profile"
    ))]
    #[inline]
    fn normalize_32(mut w: [i64; 8]) -> Self {
        debug_assert!(w.iter().all(|x| x.unsigned_abs() < 1 << 48));
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
            // carry·2^256 ≡ carry·δ (mod p), δ = 2^224 − 2^192 − 2^96 + 1 < 2^224. At most
            // three rounds: the first leaves words in [0, 2^32) and |carry| < 2^17, so the fold
            // lands in (−2^241, 2^256 + 2^241); the second round's carry is then ±1 or 0, and
            // folding ±1 moves a value in [0, 2^241) up by δ, or one in (2^256 − 2^241, 2^256)
            // down by δ, both staying in [0, 2^256): the third round carries nothing.
            w[0] += carry;
            w[3] -= carry;
            w[6] -= carry;
            w[7] += carry;
        }
        let limbs = w.map(|x| x as u32);
        // limbs < 2^256 < 2p: at most one subtraction.
        let (d, borrow) = sub_limbs(&limbs, &P);
        Self(if borrow { limbs } else { d })
    }

    /// `self^(2^n)`: n squarings.
    fn sqr_n(&self, n: u32) -> Self {
        let mut t = *self;
        for _ in 0..n {
            t = t.square();
        }
        t
    }

    /// `self^(p−2)`: the inverse of a non-zero element (Fermat), 0 for 0. An addition chain
    /// over p − 2's words (ffffffff 00000001 0 0 0 ffffffff ffffffff fffffffd): 255 squarings
    /// and 12 multiplications.
    fn invert(&self) -> Self {
        let a = *self;
        let x2 = a.square().mul(&a);
        let x3 = x2.square().mul(&a);
        let x6 = x3.sqr_n(3).mul(&x3);
        let x12 = x6.sqr_n(6).mul(&x6);
        let x15 = x12.sqr_n(3).mul(&x3);
        let x30 = x15.sqr_n(15).mul(&x15);
        let x32 = x30.sqr_n(2).mul(&x2);
        let t = x32.sqr_n(32).mul(&a); // ffffffff 00000001
        let t = t.sqr_n(96); // 0 0 0
        let t = t.sqr_n(32).mul(&x32); // ffffffff
        let t = t.sqr_n(32).mul(&x32); // ffffffff
        let t = t.sqr_n(30).mul(&x30); // the top 30 bits of fffffffd
        t.sqr_n(2).mul(&a) // 01
    }
}

/// A field element as eight signed 32-bit-weighted words, not yet carried: a product's
/// reduction ([`Fe::lazy_mul`]) plus small multiples of other elements, carried and reduced
/// once by [`Self::done`]. Every word stays within ±2^48 (a reduction's words are within
/// ±2^41; each term adds at most |k|·2^32 with |k| ≤ 8, and a formula adds a handful).
#[derive(Clone, Copy, Debug)]
struct Lazy([i64; 8]);

impl Lazy {
    const ZERO: Self = Self([0; 8]);

    /// `self + k·f`.
    #[inline]
    fn plus(mut self, k: i64, f: &Fe) -> Self {
        for (w, &limb) in self.0.iter_mut().zip(&f.0) {
            *w += k * i64::from(limb);
        }
        self
    }

    /// `self + other`.
    #[inline]
    fn plus_lazy(mut self, other: &Self) -> Self {
        for (w, o) in self.0.iter_mut().zip(&other.0) {
            *w += o;
        }
        self
    }

    /// `k · self` (|k| ≤ 8).
    #[inline]
    fn times(self, k: i64) -> Self {
        Self(self.0.map(|w| w * k))
    }

    /// The reduced element.
    #[inline]
    fn done(self) -> Fe {
        Fe::normalize(self.0)
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
pub struct Affine {
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
    pub fn from_uncompressed(sec1: &[u8]) -> Option<Self> {
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
        if self.is_identity() {
            return *self;
        }
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        // Every sum, difference and small multiple after a product is fused into that
        // product's final carries ([`Lazy`]).
        let alpha = self
            .x
            .sub(&delta)
            .lazy_mul(&self.x.add(&delta))
            .times(3)
            .done();
        let x3 = alpha.lazy_square().plus(-8, &beta).done();
        let z3 = self
            .y
            .add(&self.z)
            .lazy_square()
            .plus(-1, &gamma)
            .plus(-1, &delta)
            .done();
        let beta4_minus_x3 = Lazy::ZERO.plus(4, &beta).plus(-1, &x3).done();
        let y3 = alpha
            .lazy_mul(&beta4_minus_x3)
            .plus_lazy(&gamma.lazy_square().times(-8))
            .done();
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
        let r = Lazy::ZERO.plus(2, &s2).plus(-2, &self.y).done();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let i = h.lazy_square().times(4).done();
        let j = h.mul(&i);
        let v = self.x.mul(&i);
        let x3 = r.lazy_square().plus(-1, &j).plus(-2, &v).done();
        let y3 = r
            .lazy_mul(&v.sub(&x3))
            .plus_lazy(&self.y.lazy_mul(&j).times(-2))
            .done();
        // (Z1 + H)² − Z1Z1 − HH = 2·Z1·H.
        let z3 = self.z.lazy_mul(&h).times(2).done();
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// add-2007-bl: `self + q`, both Jacobian.
    fn add(&self, q: &Self) -> Self {
        self.add_cached(&Cached::new(*q))
    }

    /// add-2007-bl with q's Z² and Z³ at hand: `self + q` for a table entry added many times.
    fn add_cached(&self, q: &Cached) -> Self {
        if self.is_identity() {
            return q.p;
        }
        if q.p.is_identity() {
            return *self;
        }
        let z1z1 = self.z.square();
        let u1 = self.x.mul(&q.zz);
        let u2 = q.p.x.mul(&z1z1);
        let s1 = self.y.mul(&q.zzz);
        let s2 = q.p.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = Lazy::ZERO.plus(2, &s2).plus(-2, &s1).done();
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let i = h.lazy_square().times(4).done();
        let j = h.mul(&i);
        let v = u1.mul(&i);
        let x3 = r.lazy_square().plus(-1, &j).plus(-2, &v).done();
        let y3 = r
            .lazy_mul(&v.sub(&x3))
            .plus_lazy(&s1.lazy_mul(&j).times(-2))
            .done();
        // ((Z1 + Z2)² − Z1Z1 − Z2Z2)·H = 2·Z1·Z2·H.
        let z3 = self.z.mul(&q.p.z).lazy_mul(&h).times(2).done();
        Self {
            x: x3,
            y: y3,
            z: z3,
        }
    }
}

/// A Jacobian point with its Z² and Z³: a table entry that is added many times without being
/// made affine. Adding one costs 11 multiplications and 3 squarings against 8 and 3 for an
/// affine point; for the 40-odd additions of a key's table in one verification that is less
/// than the inversion that would make the table affine.
#[derive(Clone, Copy, Debug)]
struct Cached {
    p: Jacobian,
    zz: Fe,
    zzz: Fe,
}

impl Cached {
    fn new(p: Jacobian) -> Self {
        let zz = p.z.square();
        let zzz = zz.mul(&p.z);
        Self { p, zz, zzz }
    }

    fn neg(&self) -> Self {
        Self {
            p: Jacobian {
                y: self.p.y.neg(),
                ..self.p
            },
            ..*self
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
struct Comb {
    table: Vec<Affine>,
}

impl Comb {
    fn new(p: &Affine) -> Self {
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

/// Width-`w` non-adjacent form (2 ≤ w ≤ 8), least significant first: odd digits in
/// [−(2^(w−1) − 1), 2^(w−1) − 1], at least w − 1 zeros after each non-zero digit; 257 digits (the
/// last for a carry out of bit 255) and the length up to the top non-zero one.
fn wnaf(bytes: &[u8; 32], w: u32) -> ([i8; 257], usize) {
    debug_assert!((2..=8).contains(&w));
    let limbs = from_be_bytes(bytes);
    // The w bits of the scalar from bit i up (zeros above bit 255).
    let bits = |i: usize| -> u32 {
        let limb = |j: usize| u64::from(limbs.get(j).copied().unwrap_or(0));
        let two = limb(i / 32) | (limb(i / 32 + 1) << 32);
        ((two >> (i % 32)) & ((1 << w) - 1)) as u32
    };
    // Left to right over the bits with a carry (a negative digit borrowed 2^w from above): where
    // bit + carry is odd, the next w bits plus the carry make an odd window value, taken as is
    // below 2^(w−1), else as value − 2^w with the carry set. The carry can reach bit 256.
    let mut out = [0i8; 257];
    let (mut i, mut carry) = (0usize, 0u32);
    while i < out.len() {
        let window = bits(i) + carry;
        if window & 1 == 0 {
            // bit + carry even: a zero digit, the carry moves up unchanged.
            i += 1;
            continue;
        }
        carry = window >> (w - 1) & 1;
        out[i] = (window as i16 - ((carry as i16) << w)) as i8;
        i += w as usize;
    }
    let len = out.iter().rposition(|d| *d != 0).map_or(0, |top| top + 1);
    (out, len)
}

/// The width of the generator's wNAF on the cold path: 32 precomputed odd multiples.
const G_WNAF_WIDTH: u32 = 7;
/// The width of a key's wNAF on the cold path: 8 odd multiples, computed per verification.
const Q_WNAF_WIDTH: u32 = 5;

/// `G, 3G, 5G, …, 63G`, affine: the generator's table for [`G_WNAF_WIDTH`]. Compiled in
/// (`g_table.rs`, 2 KiB), so that an instance created per request (a wasi:http guard) does not
/// rebuild it; the unit test `the_generator_table_is_its_odd_multiples` recomputes it.
fn generator_odd_multiples() -> &'static [Affine] {
    &G_ODD_MULTIPLES
}

include!("g_table.rs");

/// `P, 3P, 5P, …, (2·count − 1)·P`, Jacobian (the generator table's test recomputes it so).
#[cfg(test)]
fn odd_multiples(p: &Jacobian, count: usize) -> Vec<Jacobian> {
    let p2 = p.double();
    let mut out = Vec::with_capacity(count);
    let mut m = *p;
    out.push(m);
    for _ in 1..count {
        m = m.add(&p2);
        out.push(m);
    }
    out
}

/// `Q, 3Q, 5Q, …, (2·COUNT − 1)·Q` with their Z² and Z³ (none is the identity: n is prime).
fn cached_odd_multiples<const COUNT: usize>(q: &Affine) -> [Cached; COUNT] {
    let q1 = Jacobian::from_affine(q);
    let q2 = Cached::new(q1.double());
    let mut out = [Cached {
        p: q1,
        zz: Fe::ONE,
        zzz: Fe::ONE,
    }; COUNT];
    let mut m = q1;
    for (i, entry) in out.iter_mut().enumerate().skip(1) {
        m = if i == 1 {
            q2.p.add_affine(q)
        } else {
            m.add_cached(&q2)
        };
        *entry = Cached::new(m);
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
struct KeyComb(Comb);

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
/// over its lifetime). Clones start cold; share a key through an `Arc` to share its comb.
#[derive(Debug)]
pub struct VerifyKey {
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
    /// Verifications on the cold (Straus–Shamir) path before the key's own comb is built.
    /// Building it costs about three cold verifications and saves about two thirds of each
    /// later one, so it pays for itself within a handful of further uses.
    pub const COMB_AFTER: usize = 3;

    /// A key for `q` (a point checked to be on the curve by [`Affine::from_uncompressed`]).
    #[must_use]
    pub fn new(q: Affine) -> Self {
        Self {
            q,
            uses: AtomicUsize::new(0),
            comb: OnceLock::new(),
        }
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
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self.verify_with(self.comb(), message, signature)
    }

    /// [`Self::verify`] with `comb` (the key's, or none for the cold path).
    fn verify_with(&self, comb: Option<&Comb>, message: &[u8], signature: &[u8]) -> bool {
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
        let acc = match comb {
            Some(comb) => {
                let mut acc = Jacobian::IDENTITY;
                comb.mul_add(&mut acc, &u2);
                generator_comb().mul_add(&mut acc, &u1);
                acc
            }
            None => self.double_mul_wnaf(&u1, &u2),
        };
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

    /// `u1·G + u2·Q` without precomputation for Q (Straus–Shamir): one chain of 256
    /// doublings shared by a width-[`G_WNAF_WIDTH`] wNAF of u1 over the generator's compiled-in
    /// odd multiples (affine) and a width-[`Q_WNAF_WIDTH`] wNAF of u2 over Q's odd multiples
    /// (Q, 3Q, …, 15Q), kept Jacobian with their Z² and Z³ ([`Cached`]): making them affine
    /// would take an inversion (267 multiplications) and 5 multiplications per entry, more
    /// than the 3 extra multiplications each of the ~43 additions pays.
    fn double_mul_wnaf(&self, u1: &Scalar, u2: &Scalar) -> Jacobian {
        let q_odd: [Cached; 1 << (Q_WNAF_WIDTH - 2)] = cached_odd_multiples(&self.q);
        let g_odd = generator_odd_multiples();
        let (d1, len1) = wnaf(&u1.to_repr().into(), G_WNAF_WIDTH);
        let (d2, len2) = wnaf(&u2.to_repr().into(), Q_WNAF_WIDTH);
        let (d1, d2) = (&d1[..len1], &d2[..len2]);
        let mut acc = Jacobian::IDENTITY;
        for i in (0..d1.len().max(d2.len())).rev() {
            acc = acc.double();
            if let Some(&d) = d2.get(i).filter(|d| **d != 0) {
                let p = &q_odd[usize::from(d.unsigned_abs()) / 2];
                acc = if d < 0 {
                    acc.add_cached(&p.neg())
                } else {
                    acc.add_cached(p)
                };
            }
            if let Some(&d) = d1.get(i).filter(|d| **d != 0) {
                let p = &g_odd[usize::from(d.unsigned_abs()) / 2];
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

/// The internals, on bytes, for the `p256_arithmetic` differential fuzz target (which checks
/// them against the `p256` crate). Built only with the `fuzzing` feature.
#[cfg(feature = "fuzzing")]
pub mod fuzzing {
    use super::*;

    fn fe(bytes: &[u8; 32]) -> Fe {
        // Any 256-bit value, reduced (it is below 2p).
        let limbs = from_be_bytes(bytes);
        let (d, borrow) = sub_limbs(&limbs, &P);
        Fe(if borrow { limbs } else { d })
    }

    /// Big-endian bytes of a field element.
    fn bytes(f: &Fe) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, limb) in f.0.iter().rev().enumerate() {
            out[i * 4..i * 4 + 4].copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    /// `a mod p` (any 32 bytes).
    #[must_use]
    pub fn reduce(a: &[u8; 32]) -> [u8; 32] {
        bytes(&fe(a))
    }

    /// `[a·b, a², a + b, a − b, −a, k1·a·b + k2·c, k1·a² + k2·b·c, a⁻¹ (0 for 0)]` mod p,
    /// inputs reduced first, `k1 = (k & 15) − 8` and `k2 = (k >> 4) − 8` (the fused forms the
    /// point formulas use, at their extreme multiples); the inverse only when `invert`
    /// (else 0).
    #[must_use]
    pub fn field(a: &[u8; 32], b: &[u8; 32], c: &[u8; 32], k: u8, invert: bool) -> [[u8; 32]; 8] {
        let (a, b, c) = (fe(a), fe(b), fe(c));
        let (k1, k2) = (i64::from(k & 15) - 8, i64::from(k >> 4) - 8);
        [
            a.mul(&b),
            a.square(),
            a.add(&b),
            a.sub(&b),
            a.neg(),
            a.lazy_mul(&b).times(k1).plus(k2, &c).done(),
            a.lazy_square()
                .times(k1)
                .plus_lazy(&b.lazy_mul(&c).times(k2))
                .done(),
            if invert { a.invert() } else { Fe::ZERO },
        ]
        .map(|f| bytes(&f))
    }

    /// Whether the 32-bit-limb and the 64-bit-limb multiplication, squaring and carry rounds
    /// give the same elements for `a·b` and `a²` (only one pair is in use on each target).
    #[must_use]
    pub fn limb_paths_agree(a: &[u8; 32], b: &[u8; 32]) -> bool {
        let (a, b) = (fe(a), fe(b));
        let words = [
            Fe::reduce(&a.columns_32(&b)).0,
            Fe::reduce(&a.columns_64(&b)).0,
            Fe::reduce(&a.square_columns_32()).0,
            Fe::reduce(&a.square_columns_64()).0,
        ];
        let product = Fe::normalize_32(words[0]);
        let square = Fe::normalize_32(words[2]);
        a.add_32(&b) == a.add_64(&b)
            && a.sub_32(&b) == a.sub_64(&b)
            && product == Fe::normalize_64(words[0])
            && product == Fe::normalize_32(words[1])
            && product == Fe::normalize_64(words[1])
            && square == Fe::normalize_64(words[2])
            && square == Fe::normalize_32(words[3])
            && square == Fe::normalize_64(words[3])
    }

    /// The affine point of SEC1 uncompressed bytes, if on the curve.
    #[must_use]
    pub fn point(sec1: &[u8]) -> Option<Affine> {
        Affine::from_uncompressed(sec1)
    }

    fn sec1_of(p: &Jacobian) -> Option<[u8; 65]> {
        if p.is_identity() {
            return None;
        }
        let a = normalize_all(&[*p])[0];
        let mut out = [4u8; 65];
        out[1..33].copy_from_slice(&bytes(&a.x));
        out[33..].copy_from_slice(&bytes(&a.y));
        Some(out)
    }

    /// `P` in Jacobian coordinates scaled by `z` (`z` = 0 gives the identity).
    fn jacobian(p: &Affine, z: &[u8; 32]) -> Jacobian {
        let z = fe(z);
        let z2 = z.square();
        Jacobian {
            x: p.x.mul(&z2),
            y: p.y.mul(&z2).mul(&z),
            z,
        }
    }

    /// `[2P, P + Q (Jacobian), P + Q (mixed), P − Q (mixed)]` as SEC1, `None` for the identity,
    /// with P given in Jacobian coordinates scaled by `zp` and Q by `zq`.
    #[must_use]
    pub fn group(p: &Affine, zp: &[u8; 32], q: &Affine, zq: &[u8; 32]) -> [Option<[u8; 65]>; 4] {
        let (pj, qj) = (jacobian(p, zp), jacobian(q, zq));
        [
            pj.double(),
            pj.add(&qj),
            pj.add_affine(q),
            pj.add_affine(&q.neg()),
        ]
        .map(|r| sec1_of(&r))
    }

    /// `u1·G + u2·Q` on the cold path (Straus–Shamir) and, when `combs`, on the combs, as SEC1
    /// (`None` inside for the identity).
    #[must_use]
    pub fn double_mul(
        q: &Affine,
        u1: &Scalar,
        u2: &Scalar,
        combs: bool,
    ) -> [Option<Option<[u8; 65]>>; 2] {
        let key = VerifyKey::new(*q);
        let cold = key.double_mul_wnaf(u1, u2);
        let busy = combs.then(|| {
            let mut acc = Jacobian::IDENTITY;
            Comb::new(q).mul_add(&mut acc, u2);
            generator_comb().mul_add(&mut acc, u1);
            sec1_of(&acc)
        });
        [Some(sec1_of(&cold)), busy]
    }
}

/// Where one ES256 verification's time goes (`make profile`, natively and on wasm32-wasip1
/// under wasmtime): each step timed alone, and the field operations one verification performs,
/// counted. Built only with the `profile` feature.
#[cfg(feature = "profile")]
pub mod profile {
    #![expect(
        clippy::unwrap_used,
        clippy::cast_precision_loss,
        clippy::disallowed_methods,
        reason = "a measuring tool over fixed, valid inputs: it reads the clock"
    )]
    use super::*;
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    /// Field multiplications and squarings performed since the last [`take_counts`].
    pub(super) static MULS: AtomicUsize = AtomicUsize::new(0);
    pub(super) static SQUARES: AtomicUsize = AtomicUsize::new(0);

    /// A plain load and store, no locked add: a counter that costs the timings nearly nothing.
    #[inline]
    pub(super) fn count(c: &AtomicUsize) {
        c.store(c.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
    }

    fn take_counts() -> (usize, usize) {
        (
            MULS.swap(0, Ordering::Relaxed),
            SQUARES.swap(0, Ordering::Relaxed),
        )
    }

    /// Nanoseconds per call of `f` in the fastest of about 50 batches run over `budget`: on a
    /// shared machine the fastest batch is the one least disturbed by other work.
    fn time(budget: Duration, mut f: impl FnMut()) -> f64 {
        let start = Instant::now();
        f();
        let once = start.elapsed().max(Duration::from_nanos(1));
        // Reading the clock costs more than a field addition: batch the calls.
        let batch = (budget.as_nanos() / 50 / once.as_nanos()).clamp(1, 1 << 20);
        let start = Instant::now();
        let mut best = f64::INFINITY;
        let mut batches = 0;
        while start.elapsed() < budget || batches < 3 {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            best = best.min(t.elapsed().as_nanos() as f64 / batch as f64);
            batches += 1;
        }
        best
    }

    /// One row of the profile: a step, its cost, and how many times a verification performs it
    /// (`None` when the step is a whole).
    #[derive(Debug)]
    pub struct Row {
        /// What was timed.
        pub step: &'static str,
        /// Nanoseconds per call.
        pub ns: f64,
        /// Calls per cold verification, where counted.
        pub per_verify: Option<usize>,
    }

    /// Times every step for about `budget` each.
    #[must_use]
    pub fn run(budget: Duration) -> Vec<Row> {
        use p256::ecdsa::signature::{Signer as _, Verifier as _};
        use p256::elliptic_curve::sec1::ToSec1Point as _;
        let sk = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
        let vk = *sk.verifying_key();
        let sec1 = vk.as_affine().to_sec1_point(false);
        let q = Affine::from_uncompressed(sec1.as_bytes()).unwrap();
        // A JWS signing input of a typical access token's size.
        let message = vec![b'e'; 420];
        let sig: p256::ecdsa::Signature = sk.sign(&message);
        let sig_bytes = sig.to_bytes();
        let a = Fe::from_bytes(&[0x5a; 32]).unwrap();
        let b = Fe::from_bytes(&[0x3c; 32]).unwrap();
        let point = Jacobian::from_affine(&q).double().add_affine(&GENERATOR);
        // The signature's own u1 = e/s and u2 = r/s, so that the multiplication below does what
        // the verification does.
        let digest: [u8; 32] = sha2::Sha256::digest(&message).into();
        let e =
            <Scalar as p256::elliptic_curve::ops::Reduce<p256::FieldBytes>>::reduce(&digest.into());
        let w = Option::<Scalar>::from(sig.s().invert()).unwrap();
        let (u1, u2) = (e * w, *sig.r() * w);
        let scalar = u2;
        let mut rows = Vec::new();
        let mut row = |step, ns, per_verify| {
            rows.push(Row {
                step,
                ns,
                per_verify,
            })
        };

        // One row: a step, the calls per cold verification (if counted), the expression timed.
        macro_rules! step {
            ($name:expr, $per_verify:expr, $e:expr) => {
                row(
                    $name,
                    time(budget, || {
                        black_box($e);
                    }),
                    $per_verify,
                )
            };
        }
        let _ = (generator_comb(), generator_odd_multiples());
        let cold = VerifyKey::new(q);
        take_counts();
        assert!(cold.verify_with(None, &message, &sig_bytes));
        let (muls, squares) = take_counts();
        step!("field mul", Some(muls), black_box(a).mul(&black_box(b)));
        step!("field square", Some(squares), black_box(a).square());
        let columns = a.columns_32(&b);
        step!(
            "field product columns, 32-bit limbs (64 multiplies)",
            None,
            black_box(a).columns_32(&black_box(b))
        );
        step!(
            "field product columns, 64-bit limbs (16 multiplies of 128 bits)",
            None,
            black_box(a).columns_64(&black_box(b))
        );
        step!(
            "field square columns, 32-bit limbs (36 multiplies)",
            None,
            black_box(a).square_columns_32()
        );
        step!(
            "field square columns, 64-bit limbs (10 multiplies of 128 bits)",
            None,
            black_box(a).square_columns_64()
        );
        step!(
            "field reduction and carries, 32-bit words",
            None,
            Fe::normalize_32(Fe::reduce(&black_box(columns)).0)
        );
        step!(
            "field reduction and carries, 64-bit words",
            None,
            Fe::normalize_64(Fe::reduce(&black_box(columns)).0)
        );
        step!("field add", None, black_box(a).add(&black_box(b)));
        step!("field sub", None, black_box(a).sub(&black_box(b)));
        step!("field invert", None, black_box(a).invert());
        step!("point double (Jacobian)", None, black_box(point).double());
        step!(
            "point add (Jacobian + affine)",
            None,
            black_box(point).add_affine(&GENERATOR)
        );
        step!(
            "point add (Jacobian + Jacobian)",
            None,
            black_box(point).add(&point)
        );
        step!(
            "SHA-256 of the 420-byte signing input",
            Some(1),
            sha2::Sha256::digest(black_box(&message))
        );
        step!(
            "scalar invert (s^-1 mod n)",
            Some(1),
            black_box(scalar).invert_vartime()
        );
        step!(
            "u1*G + u2*Q, cold key (Straus-Shamir, with Q's table)",
            Some(1),
            cold.double_mul_wnaf(&black_box(u1), &black_box(u2))
        );
        let comb = Comb::new(&q);
        row(
            "u2*Q, busy key (the key's comb)",
            time(budget, || {
                let mut acc = Jacobian::IDENTITY;
                comb.mul_add(&mut acc, &black_box(scalar));
                black_box(acc);
            }),
            None,
        );
        row(
            "u1*G, busy key (the generator's comb)",
            time(budget, || {
                let mut acc = Jacobian::IDENTITY;
                generator_comb().mul_add(&mut acc, &black_box(u1));
                black_box(acc);
            }),
            None,
        );
        step!(
            "building a comb (once per busy key; the generator's once per process)",
            None,
            Comb::new(black_box(&q))
        );
        row(
            "verify, cold key (this crate)",
            time(budget, || {
                assert!(cold.verify_with(None, black_box(&message), &sig_bytes));
            }),
            None,
        );
        row(
            "verify, busy key (this crate)",
            time(budget, || {
                assert!(cold.verify_with(Some(&comb), black_box(&message), &sig_bytes));
            }),
            None,
        );
        row(
            "verify, the p256 crate",
            time(budget, || {
                assert!(vk.verify(black_box(&message), &sig).is_ok());
            }),
            None,
        );
        step!(
            "key from SEC1 (on-curve check)",
            None,
            Affine::from_uncompressed(black_box(sec1.as_bytes()))
        );
        rows
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
            pub fn add(&self, o: &Self) -> Self {
                let mut r = vec![0u32; self.0.len().max(o.0.len()) + 1];
                let mut carry = 0u64;
                for (i, x) in r.iter_mut().enumerate() {
                    let t = u64::from(*self.0.get(i).unwrap_or(&0))
                        + u64::from(*o.0.get(i).unwrap_or(&0))
                        + carry;
                    *x = t as u32;
                    carry = t >> 32;
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
            // Both limb sizes, whichever this target uses: 32-bit limbs run in wasm32, 64-bit
            // ones natively.
            let (sq32, sq64) = (a.square_columns_32(), a.square_columns_64());
            for columns in [a.columns_32(&b), a.columns_64(&b)] {
                let words = Fe::reduce(&columns).0;
                assert_eq!(to_big(&Fe::normalize_32(words)), want);
                assert_eq!(to_big(&Fe::normalize_64(words)), want);
            }
            for columns in [sq32, sq64] {
                let words = Fe::reduce(&columns).0;
                assert_eq!(Fe::normalize_32(words), a.square());
                assert_eq!(Fe::normalize_64(words), a.square());
            }
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
        let p = num_big::Big::from_limbs(&P);
        // Both limb sizes of addition and subtraction, at the edges (0, 1, p − 1, p − 2, a
        // value just below 2^255) and on random values.
        let p_minus = |k: u32| Fe(sub_limbs(&P, &[k, 0, 0, 0, 0, 0, 0, 0]).0);
        let mut values = vec![Fe::ZERO, Fe::ONE, p_minus(1), p_minus(2)];
        values.push(Fe([
            u32::MAX,
            u32::MAX,
            u32::MAX,
            u32::MAX,
            0,
            0,
            0,
            0x7fff_ffff,
        ]));
        values.extend((0..20).map(|_| rng.fe()));
        for a in &values {
            for b in &values {
                let (sum, diff) = (a.add_32(b), a.sub_32(b));
                assert_eq!(sum, a.add_64(b));
                assert_eq!(diff, a.sub_64(b));
                assert_eq!(to_big(&sum), to_big(a).add(&to_big(b)).rem(&p));
                assert_eq!(diff.add_32(b), *a);
            }
        }
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
        let q_scalar = scalar(&mut rng);
        let key = VerifyKey::new(p256_point(&q_scalar));
        let mut ks: Vec<Scalar> = (0..40).map(|_| scalar(&mut rng)).collect();
        ks.extend([
            Scalar::ONE,
            Scalar::from(2u64),
            Scalar::from(15u64),
            Scalar::from(16u64),
            -Scalar::ONE,
            -Scalar::from(16u64),
        ]);
        for (i, &k) in ks.iter().enumerate() {
            let want = p256_point(&k);
            let mut acc = Jacobian::IDENTITY;
            comb.mul_add(&mut acc, &k);
            assert_eq!(affine_of(&acc).unwrap(), want);
            // u1·G + u2·Q = (u1 + u2·q)·G, with u2 = 0 once and u1 = 0 once.
            let k2 = ks[(i + 1) % ks.len()];
            for (u1, u2) in [(k, k2), (k, Scalar::ZERO), (Scalar::ZERO, k)] {
                let got = affine_of(&key.double_mul_wnaf(&u1, &u2)).unwrap();
                assert_eq!(got, p256_point(&(u1 + u2 * q_scalar)));
            }
        }
        let mut acc = Jacobian::IDENTITY;
        comb.mul_add(&mut acc, &Scalar::ZERO);
        assert!(acc.is_identity());
        // u1·G + u2·Q = O: u1 = −u2·q.
        let u2 = scalar(&mut rng);
        assert!(key.double_mul_wnaf(&-(u2 * q_scalar), &u2).is_identity());
        assert!(
            key.double_mul_wnaf(&Scalar::ZERO, &Scalar::ZERO)
                .is_identity()
        );
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
            for w in [5u32, 7, 8] {
                let (naf, len) = wnaf(&bytes, w);
                let naf = &naf[..len];
                let bound = (1i8 << (w - 1)).wrapping_sub(1);
                assert!(
                    naf.iter()
                        .all(|d| *d == 0 || (d % 2 != 0 && d.abs() <= bound))
                );
                // Non-adjacent: at least w − 1 zeros after every non-zero digit.
                for (i, _) in naf.iter().enumerate().filter(|(_, d)| **d != 0) {
                    assert!(naf.iter().skip(i + 1).take(w as usize - 1).all(|d| *d == 0));
                }
                assert_eq!(value(&naf[..120], 2) as u128 & ((1u128 << 120) - 1), low);
            }
            // The whole of any scalar (below n and the small half's n − k alike), every width.
            for bytes in [bytes, k.to_repr().into()] {
                for w in 2..=8u32 {
                    let (naf, len) = wnaf(&bytes, w);
                    let naf = &naf[..len];
                    let mut acc = [0i64; 10];
                    for (i, &d) in naf.iter().enumerate() {
                        acc[i / 32] += i64::from(d) << (i % 32);
                    }
                    let mut carry = 0i64;
                    for a in &mut acc {
                        let t = *a + carry;
                        *a = t & 0xffff_ffff;
                        carry = t >> 32;
                    }
                    assert_eq!(carry, 0);
                    let want = from_be_bytes(&bytes).map(i64::from);
                    assert_eq!(acc[..8], want, "w = {w}");
                    assert_eq!(acc[8..], [0, 0]);
                    let bound = (1i16 << (w - 1)) - 1;
                    assert!(
                        naf.iter()
                            .all(|&d| d == 0 || (d % 2 != 0 && i16::from(d).abs() <= bound))
                    );
                    for (i, _) in naf.iter().enumerate().filter(|(_, d)| **d != 0) {
                        assert!(naf.iter().skip(i + 1).take(w as usize - 1).all(|d| *d == 0));
                    }
                }
            }
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

    /// `g_table.rs` against `G, 3G, …, 63G` computed here; on a mismatch, prints the file's
    /// correct text (`cargo test -p a2a-auth-p256-verify -- --nocapture`).
    #[test]
    fn the_generator_table_is_its_odd_multiples() {
        let computed = normalize_all(&odd_multiples(
            &Jacobian::from_affine(&GENERATOR),
            1 << (G_WNAF_WIDTH - 2),
        ));
        if computed[..] != G_ODD_MULTIPLES[..] {
            let fe = |f: &Fe| {
                let limbs: Vec<String> = f.0.iter().map(|l| format!("0x{l:08x}")).collect();
                format!("Fe([{}])", limbs.join(", "))
            };
            let mut text = String::from(
                "// G, 3G, 5G, …, 63G (affine, 32-bit limbs least significant first), checked by\n\
                 // the unit test `the_generator_table_is_its_odd_multiples`, which prints this\n\
                 // file's text when it does not match.\n\
                 #[rustfmt::skip]\n\
                 const G_ODD_MULTIPLES: [Affine; 32] = [\n",
            );
            for p in &computed {
                text += &format!(
                    "    Affine {{\n        x: {},\n        y: {},\n    }},\n",
                    fe(&p.x),
                    fe(&p.y)
                );
            }
            text += "];\n";
            println!("{text}");
            panic!(
                "g_table.rs does not hold G's odd multiples (its correct text is printed above)"
            );
        }
        for (i, p) in G_ODD_MULTIPLES.iter().enumerate() {
            assert_eq!(*p, p256_point(&Scalar::from(2 * i as u64 + 1)));
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
