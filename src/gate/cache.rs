//! The verified-credential cache: a WIT or access token that verified once is not verified
//! again until it expires, so a warm request costs one proof verification.
//!
//! Keyed by SHA-256 of the exact token string (a re-encoded or malleated token is a different
//! key and is simply verified in full), bounded (oldest inserted first out), entries valid only
//! until the credential's own expiry. Only credentials that verified are inserted, so the key
//! space an attacker can fill is limited to tokens the trust anchors signed. Entries can be
//! removed when an event revokes them.

use std::collections::{HashMap, VecDeque};

use crate::crypto::sha256;
use crate::error::Error;
use crate::time::UnixTime;

/// A bounded cache of verified credentials, by SHA-256 of the token string.
#[derive(Debug, Clone)]
pub struct CredentialCache<T> {
    capacity: usize,
    map: HashMap<[u8; 32], (u64, T)>,
    order: VecDeque<([u8; 32], u64)>,
}

impl<T: Clone> CredentialCache<T> {
    /// A cache of at most `capacity` credentials.
    ///
    /// # Errors
    /// `invalid-argument` (`capacity`) for zero.
    pub fn new(capacity: usize) -> Result<Self, Error> {
        if capacity == 0 {
            return Err(Error::InvalidArgument("capacity"));
        }
        Ok(Self {
            capacity,
            map: HashMap::new(),
            order: VecDeque::new(),
        })
    }

    /// The verified value for `token`, if cached and not expired at `now`.
    pub fn get(&self, token: &str, now: UnixTime) -> Option<T> {
        self.map
            .get(&sha256(token.as_bytes()))
            .filter(|(exp, _)| *exp > now.as_secs())
            .map(|(_, v)| v.clone())
    }

    /// Caches `value` for `token` until `expires_at`; already-expired values are not kept.
    pub fn insert(&mut self, token: &str, value: T, expires_at: UnixTime, now: UnixTime) {
        let now = now.as_secs();
        let exp = expires_at.as_secs();
        if exp <= now {
            return;
        }
        while self.order.front().is_some_and(|(_, e)| *e <= now) {
            self.pop_front();
        }
        let key = sha256(token.as_bytes());
        if let Some(entry) = self.map.get_mut(&key) {
            // Refresh: the new log line is the one that will evict it.
            *entry = (exp, value);
            self.order.push_back((key, exp));
            while self.order.len() > self.capacity.saturating_mul(2) {
                self.pop_front();
            }
            return;
        }
        // Room for one more, and the insertion log no longer than twice the capacity (removed
        // entries leave stale log lines behind).
        while self.map.len() >= self.capacity || self.order.len() >= self.capacity.saturating_mul(2)
        {
            if self.pop_front().is_none() {
                break;
            }
        }
        self.map.insert(key, (exp, value));
        self.order.push_back((key, exp));
    }

    /// Forgets `token` (for example after a revocation event).
    pub fn remove(&mut self, token: &str) -> bool {
        self.map.remove(&sha256(token.as_bytes())).is_some()
    }

    /// Forgets every entry whose value matches `pred` (for example all of one subject).
    pub fn remove_where(&mut self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let before = self.map.len();
        self.map.retain(|_, (_, v)| !pred(v));
        before.saturating_sub(self.map.len())
    }

    fn pop_front(&mut self) -> Option<()> {
        let (key, exp) = self.order.pop_front()?;
        if self.map.get(&key).is_some_and(|(e, _)| *e == exp) {
            self.map.remove(&key);
        }
        Some(())
    }

    /// Credentials held.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_until_expiry_and_stays_bounded() {
        let t = UnixTime;
        let mut c = CredentialCache::new(2).unwrap();
        c.insert("a", 1, t(100), t(0));
        assert_eq!(c.get("a", t(99)), Some(1));
        assert_eq!(c.get("a", t(100)), None);
        assert_eq!(c.get("b", t(0)), None);
        c.insert("b", 2, t(100), t(0));
        c.insert("c", 3, t(100), t(0));
        assert_eq!(c.len(), 2);
        assert_eq!(c.get("a", t(1)), None, "the oldest left first");
        c.insert("expired", 4, t(5), t(10));
        assert_eq!(c.get("expired", t(10)), None);
        assert!(c.remove("b"));
        assert_eq!(c.get("b", t(1)), None);
        c.insert("d", 9, t(100), t(0));
        assert_eq!(c.remove_where(|v| *v == 9), 1);
        for i in 0..10_000u32 {
            c.insert(&i.to_string(), 0, t(1000), t(1));
            c.remove(&(i / 2).to_string());
            assert!(c.len() <= 2 && c.order.len() <= 4);
        }
        // Re-inserting the same tokens with new expiries keeps both bounds.
        for i in 0..10_000u64 {
            c.insert(&(i % 3).to_string(), 0, t(2000 + i), t(1));
            assert!(c.len() <= 2 && c.order.len() <= 4);
        }
    }
}
