//! The proof replay cache: `(sender, jti)` pairs seen within their lifetime.
//!
//! - **Bounded**: at most `capacity` entries; when full, the oldest entry is evicted first. An
//!   eviction of an entry that was still live is counted and reported by
//!   [`Insertion::evicted_live`], never hidden: it means the cache is too small for the
//!   traffic (or is being flooded), and a replay of that evicted proof would now go unseen.
//! - **O(1)**: a hash map from a 128-bit fingerprint to the expiry, plus a FIFO of insertions.
//!   Expired entries leave as they reach the front of the FIFO.
//! - **Keyed**: fingerprints are HMAC-SHA256 over `(sender, jti)` under a caller-supplied
//!   secret, so a peer cannot choose `jti`s that collide in the map (hash flooding), and a
//!   long `jti` costs no more memory than a short one.
//! - **Time comes from the caller**, like everywhere else in this crate.
//!
//! One entry costs about 60 bytes (fingerprint and expiry in the map, again in the FIFO), so a
//! cache of 100 000 entries stays near 6 MB whatever arrives. A per-process cache cannot see a
//! replay sent to another instance: pair it with short proof lifetimes (and DPoP nonces).

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use crate::crypto::hmac_sha256;
use crate::error::Error;
use crate::time::UnixTime;

/// The fingerprint is already a keyed MAC: hash its low bits directly.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "the low 64 bits are wanted"
        )]
        {
            self.0 = n as u64;
        }
    }
}

/// What an accepted insertion did to the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insertion {
    /// Whether making room evicted an entry that had not expired yet.
    pub evicted_live: bool,
}

/// Replay state shared by several verifier instances (proxy-wasm shared data, a key-value
/// store), consulted after the instance's own cache accepted a proof. Instances that share it
/// must share the verifier `secret`, so that they compute the same fingerprints.
pub trait SharedReplay: Send {
    /// Records `fingerprint` until `expires_at`; returns `false` when it is already recorded
    /// and unexpired at `now` (another instance saw the proof), or when the store cannot tell
    /// (fail closed).
    fn check_and_insert(&mut self, fingerprint: [u8; 16], expires_at: u64, now: u64) -> bool;
}

/// A [`SlotStore`] that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreUnavailable;

/// A key-value store with optional versions, as hosts offer them (proxy-wasm shared data has
/// compare-and-swap versions; `wasi:keyvalue` has none).
pub trait SlotStore {
    /// The value at `key` and its version, if any; `Err` when the store cannot tell.
    ///
    /// # Errors
    /// When the store cannot be read (the caller fails closed).
    fn get(&mut self, key: &str) -> Result<(Option<Vec<u8>>, Option<u32>), StoreUnavailable>;
    /// Writes `value` at `key`, only if its version is still `version` when the store has
    /// versions; `false` when the write did not happen.
    fn set(&mut self, key: &str, value: &[u8], version: Option<u32>) -> bool;
}

/// [`SharedReplay`] over a [`SlotStore`]: a fixed number of slots (bounded memory however many
/// proofs arrive), each holding the last fingerprint that hashed to it and its expiry, as
/// `"<hex fingerprint> <expiry>"` under `a2a-auth/replay/<slot>`. A proof whose fingerprint is
/// in its slot and unexpired is a replay; an unreadable store, or a write that loses a
/// compare-and-swap race, counts as one too (fail closed). A colliding proof overwrites the
/// slot, so protection across instances degrades (never below each instance's own cache) only
/// when more live proofs than slots exist.
pub struct SlotReplay<S> {
    store: S,
    slots: u16,
}

impl<S: SlotStore> SlotReplay<S> {
    /// `slots` slots in `store` (at least one is used).
    pub fn new(store: S, slots: u16) -> Self {
        Self {
            store,
            slots: slots.max(1),
        }
    }
}

impl<S: SlotStore + Send> SharedReplay for SlotReplay<S> {
    fn check_and_insert(&mut self, fingerprint: [u8; 16], expires_at: u64, now: u64) -> bool {
        use core::fmt::Write as _;
        let mut hex = String::with_capacity(32);
        for b in fingerprint {
            // Writing to a String cannot fail.
            let _ = write!(hex, "{b:02x}");
        }
        let slot = u16::from_be_bytes([fingerprint[0], fingerprint[1]])
            .checked_rem(self.slots)
            .unwrap_or(0);
        let key = alloc_key(slot);
        let Ok((value, version)) = self.store.get(&key) else {
            return false;
        };
        if let Some(v) = value
            && let Ok(text) = core::str::from_utf8(&v)
            && let Some((fp, exp)) = text.split_once(' ')
            && fp == hex
            && exp.parse::<u64>().is_ok_and(|e| e > now)
        {
            return false;
        }
        let entry = format!("{hex} {expires_at}");
        self.store.set(&key, entry.as_bytes(), version)
    }
}

fn alloc_key(slot: u16) -> String {
    format!("a2a-auth/replay/{slot}")
}

/// A bounded replay cache; see the module documentation.
pub struct ReplayCache {
    capacity: usize,
    secret: Vec<u8>,
    map: HashMap<u128, u64, BuildHasherDefault<Prehashed>>,
    order: VecDeque<(u128, u64)>,
    evicted_live: u64,
    shared: Option<Box<dyn SharedReplay>>,
}

impl core::fmt::Debug for ReplayCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReplayCache")
            .field("capacity", &self.capacity)
            .field("len", &self.map.len())
            .field("evicted_live", &self.evicted_live)
            .finish_non_exhaustive()
    }
}

impl ReplayCache {
    /// A cache holding at most `capacity` entries, fingerprinting with `secret` (at least 32
    /// random bytes from the host).
    ///
    /// # Errors
    /// `invalid-argument` (`capacity`) for zero; `invalid-argument` (`secret`) for fewer than
    /// 32 bytes.
    pub fn new(capacity: usize, secret: &[u8]) -> Result<Self, Error> {
        if capacity == 0 {
            return Err(Error::InvalidArgument("capacity"));
        }
        if secret.len() < 32 {
            return Err(Error::InvalidArgument("secret"));
        }
        Ok(Self {
            capacity,
            secret: secret.to_vec(),
            map: HashMap::default(),
            order: VecDeque::new(),
            evicted_live: 0,
            shared: None,
        })
    }

    /// Also consults `shared` (state other instances see) for every proof this cache accepts.
    pub fn set_shared(&mut self, shared: Box<dyn SharedReplay>) {
        self.shared = Some(shared);
    }

    fn fingerprint(&self, sender: &str, jti: &str) -> Result<u128, Error> {
        // Length-prefixed so that ("ab", "c") and ("a", "bc") differ.
        let mut input =
            Vec::with_capacity(sender.len().saturating_add(jti.len()).saturating_add(8));
        input.extend_from_slice(
            &u64::try_from(sender.len())
                .unwrap_or(u64::MAX)
                .to_be_bytes(),
        );
        input.extend_from_slice(sender.as_bytes());
        input.extend_from_slice(jti.as_bytes());
        let mac = hmac_sha256(&self.secret, &input)?;
        let mut first = [0u8; 16];
        first.copy_from_slice(mac.get(..16).ok_or(Error::InvalidArgument("secret"))?);
        Ok(u128::from_be_bytes(first))
    }

    fn pop_front(&mut self) -> Option<(u128, u64)> {
        let (fp, exp) = self.order.pop_front()?;
        // Remove the map entry only if it still belongs to this insertion.
        if self.map.get(&fp) == Some(&exp) {
            self.map.remove(&fp);
        }
        Some((fp, exp))
    }

    /// Records `(sender, jti)` until `expires_at` (pass the proof's `exp` plus leeway), or
    /// refuses it when it is already recorded and unexpired.
    ///
    /// # Errors
    /// `replayed` when the pair was seen and has not expired; `invalid-argument` if the
    /// fingerprint cannot be computed.
    pub fn check_and_insert(
        &mut self,
        sender: &str,
        jti: &str,
        expires_at: UnixTime,
        now: UnixTime,
    ) -> Result<Insertion, Error> {
        let fp = self.fingerprint(sender, jti)?;
        let now = now.as_secs();
        // Expired entries at the front leave first (amortised O(1): each leaves once).
        while self.order.front().is_some_and(|(_, exp)| *exp <= now) {
            self.pop_front();
        }
        if self.map.get(&fp).is_some_and(|exp| *exp > now) {
            return Err(Error::Replayed);
        }
        if let Some(shared) = self.shared.as_mut()
            && !shared.check_and_insert(fp.to_be_bytes(), expires_at.as_secs(), now)
        {
            return Err(Error::Replayed);
        }
        let mut evicted_live = false;
        while self.map.len() >= self.capacity || self.order.len() >= self.capacity {
            match self.pop_front() {
                Some((_, exp)) if exp > now => evicted_live = true,
                Some(_) => {}
                None => break,
            }
        }
        if evicted_live {
            self.evicted_live = self.evicted_live.saturating_add(1);
        }
        let exp = expires_at.as_secs();
        self.map.insert(fp, exp);
        self.order.push_back((fp, exp));
        Ok(Insertion { evicted_live })
    }

    /// Whether `(sender, jti)` is recorded and unexpired at `now` (does not record it).
    ///
    /// # Errors
    /// `invalid-argument` if the fingerprint cannot be computed.
    pub fn contains(&self, sender: &str, jti: &str, now: UnixTime) -> Result<bool, Error> {
        let fp = self.fingerprint(sender, jti)?;
        Ok(self.map.get(&fp).is_some_and(|exp| *exp > now.as_secs()))
    }

    /// Entries held (some may have expired but not left yet).
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The maximum number of entries.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many insertions had to evict a still-live entry since creation.
    pub fn evicted_live(&self) -> u64 {
        self.evicted_live
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: [u8; 32] = [9; 32];

    #[test]
    fn replay_is_refused_until_expiry() {
        let mut c = ReplayCache::new(10, &SECRET).unwrap();
        let t = UnixTime;
        assert!(
            !c.check_and_insert("a", "j1", t(100), t(0))
                .unwrap()
                .evicted_live
        );
        assert_eq!(
            c.check_and_insert("a", "j1", t(100), t(50)).unwrap_err(),
            Error::Replayed
        );
        // Another sender may use the same jti.
        c.check_and_insert("b", "j1", t(100), t(50)).unwrap();
        // The length prefix separates sender and jti.
        c.check_and_insert("a", "j1x", t(100), t(50)).unwrap();
        c.check_and_insert("aj", "1", t(100), t(50)).unwrap();
        // After expiry the pair is accepted again.
        c.check_and_insert("a", "j1", t(200), t(100)).unwrap();
        assert!(c.contains("a", "j1", t(150)).unwrap());
        assert!(!c.contains("a", "j1", t(200)).unwrap());
    }

    #[test]
    fn full_cache_evicts_oldest_and_reports_live_evictions() {
        let mut c = ReplayCache::new(2, &SECRET).unwrap();
        let t = UnixTime;
        c.check_and_insert("s", "1", t(10), t(0)).unwrap();
        c.check_and_insert("s", "2", t(1000), t(0)).unwrap();
        // "1" has expired at 20: room without a live eviction.
        assert!(
            !c.check_and_insert("s", "3", t(1000), t(20))
                .unwrap()
                .evicted_live
        );
        // Now both entries are live: inserting evicts "2", which is reported.
        assert!(
            c.check_and_insert("s", "4", t(1000), t(20))
                .unwrap()
                .evicted_live
        );
        assert_eq!(c.evicted_live(), 1);
        assert_eq!(c.len(), 2);
        assert!(!c.contains("s", "2", t(20)).unwrap());
        assert!(c.contains("s", "4", t(20)).unwrap());
    }

    #[test]
    fn flood_of_distinct_jtis_stays_within_capacity() {
        let mut c = ReplayCache::new(1000, &SECRET).unwrap();
        for i in 0..100_000u32 {
            c.check_and_insert("flood", &i.to_string(), UnixTime(10_000), UnixTime(1))
                .unwrap();
            assert!(c.len() <= 1000);
        }
        assert_eq!(c.evicted_live(), 99_000);
        assert!(c.map.len() <= 1000);
    }

    /// A million distinct proofs from one sender: entries and allocations stay within a bound
    /// set by the capacity, whatever the flood (issue: bounded memory under floods).
    #[test]
    fn a_million_distinct_jtis_stay_within_the_memory_bound() {
        let cap = 10_000;
        let mut c = ReplayCache::new(cap, &SECRET).unwrap();
        let (mut peak_map, mut peak_order) = (0, 0);
        for i in 0..1_000_000u32 {
            c.check_and_insert("flood", &i.to_string(), UnixTime(10_000), UnixTime(1))
                .unwrap();
            peak_map = peak_map.max(c.map.capacity());
            peak_order = peak_order.max(c.order.capacity());
        }
        assert_eq!(c.len(), cap);
        assert_eq!(c.evicted_live(), 990_000);
        // Allocated slots, not just entries: at most a power-of-two step above the capacity.
        assert!(peak_map <= 4 * cap, "map allocated {peak_map} slots");
        assert!(peak_order <= 4 * cap, "order allocated {peak_order} slots");
        // A proof seen within the last `cap` entries is still refused.
        assert_eq!(
            c.check_and_insert("flood", "999999", UnixTime(10_000), UnixTime(1)),
            Err(Error::Replayed)
        );
    }

    #[test]
    fn arguments_are_checked() {
        assert_eq!(
            ReplayCache::new(0, &SECRET).unwrap_err(),
            Error::InvalidArgument("capacity")
        );
        assert_eq!(
            ReplayCache::new(1, &[0; 31]).unwrap_err(),
            Error::InvalidArgument("secret")
        );
    }
}

#[cfg(test)]
mod shared_tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Default)]
    struct Store(Arc<Mutex<HashMap<[u8; 16], u64>>>);

    impl SharedReplay for Store {
        fn check_and_insert(&mut self, fp: [u8; 16], expires_at: u64, now: u64) -> bool {
            let mut m = self.0.lock().unwrap();
            if m.get(&fp).is_some_and(|e| *e > now) {
                return false;
            }
            m.insert(fp, expires_at);
            true
        }
    }

    type Map = HashMap<String, (Vec<u8>, u32)>;

    #[derive(Default, Clone)]
    struct Slots(Arc<Mutex<Map>>);

    impl SlotStore for Slots {
        fn get(&mut self, key: &str) -> Result<(Option<Vec<u8>>, Option<u32>), StoreUnavailable> {
            Ok(self
                .0
                .lock()
                .unwrap()
                .get(key)
                .map_or((None, None), |(v, n)| (Some(v.clone()), Some(*n))))
        }
        fn set(&mut self, key: &str, value: &[u8], version: Option<u32>) -> bool {
            let mut m = self.0.lock().unwrap();
            let current = m.get(key).map(|(_, n)| *n);
            if current != version {
                return false;
            }
            m.insert(
                key.to_owned(),
                (value.to_vec(), current.unwrap_or(0).saturating_add(1)),
            );
            true
        }
    }

    #[test]
    fn slot_replay_is_bounded_and_refuses_replays_across_instances() {
        let store = Slots::default();
        let mut a = ReplayCache::new(8, &[7; 32]).unwrap();
        let mut b = ReplayCache::new(8, &[7; 32]).unwrap();
        a.set_shared(Box::new(SlotReplay::new(store.clone(), 64)));
        b.set_shared(Box::new(SlotReplay::new(store.clone(), 64)));
        let (exp, now) = (UnixTime(100), UnixTime(10));
        assert!(a.check_and_insert("s", "j1", exp, now).is_ok());
        assert_eq!(
            b.check_and_insert("s", "j1", exp, now),
            Err(Error::Replayed)
        );
        for i in 0..1000 {
            let _ = a.check_and_insert("s", &format!("x{i}"), exp, now);
        }
        assert!(
            store.0.lock().unwrap().len() <= 64,
            "bounded by the slot count"
        );
        // A lost compare-and-swap race counts as a replay.
        struct Racing;
        impl SlotStore for Racing {
            fn get(&mut self, _: &str) -> Result<(Option<Vec<u8>>, Option<u32>), StoreUnavailable> {
                Ok((None, Some(1)))
            }
            fn set(&mut self, _: &str, _: &[u8], _: Option<u32>) -> bool {
                false
            }
        }
        let mut c = ReplayCache::new(8, &[7; 32]).unwrap();
        c.set_shared(Box::new(SlotReplay::new(Racing, 4)));
        assert_eq!(
            c.check_and_insert("s", "j9", exp, now),
            Err(Error::Replayed)
        );
    }

    #[test]
    fn instances_sharing_a_store_refuse_each_others_replays() {
        let store = Arc::new(Mutex::new(HashMap::new()));
        let mut a = ReplayCache::new(8, &[7; 32]).unwrap();
        let mut b = ReplayCache::new(8, &[7; 32]).unwrap();
        a.set_shared(Box::new(Store(store.clone())));
        b.set_shared(Box::new(Store(store.clone())));
        let (exp, now) = (UnixTime(100), UnixTime(10));
        assert!(a.check_and_insert("s", "j1", exp, now).is_ok());
        assert_eq!(
            b.check_and_insert("s", "j1", exp, now),
            Err(Error::Replayed)
        );
        assert!(b.check_and_insert("s", "j2", exp, now).is_ok());
        assert_eq!(
            a.check_and_insert("s", "j2", exp, now),
            Err(Error::Replayed)
        );
        // After expiry the shared entry no longer counts.
        assert!(
            b.check_and_insert("s", "j1", UnixTime(300), UnixTime(150))
                .is_ok()
        );
        assert_eq!(store.lock().unwrap().len(), 2);
    }
}
