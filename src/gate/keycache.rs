//! The sans-IO key cache: it tells the host which JWKS and bundle documents to fetch and when,
//! and ingests what the host fetched. It never does I/O and never reads a clock.
//!
//! - **Scheduling**: a document is due when never fetched, when its refresh time has come (the
//!   document's `spiffe_refresh_hint` or the `Cache-Control: max-age` the host passes, clamped to
//!   `[min_refresh, max_refresh]`), or when a verifier met an unknown `kid` and the per-source
//!   cooldown has passed. A flood of random `kid`s therefore asks for at most one fetch per
//!   source per cooldown.
//! - **Failures keep keys**: a fetch or parse failure keeps the last good document and retries
//!   with exponential backoff (from `min_refresh`, doubling, capped at `max_refresh`).
//! - **Bounded**: the set of sources is fixed by configuration; each holds one document.

use crate::crypto::JwkSet;
use crate::error::Error;
use crate::identity::Bundle;
use crate::limits::Limits;
use crate::time::UnixTime;

/// What a source's document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// An authorization server's JWK Set.
    Jwks,
    /// The SPIFFE bundle of a trust domain (`example.org`, or `wimse://example.com`).
    Bundle(String),
}

/// A document the host holds for a source.
#[derive(Debug, Clone)]
pub enum Document {
    /// A JWK Set.
    Jwks(JwkSet),
    /// A trust bundle.
    Bundle(Bundle),
}

#[derive(Debug, Clone)]
struct Source {
    url: String,
    kind: SourceKind,
    document: Option<Document>,
    next_fetch: u64,
    last_unknown_kid_fetch: Option<u64>,
    failures: u32,
}

/// How often documents are refreshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// Shortest refresh interval and first retry delay, seconds (default 60).
    pub min_refresh: u64,
    /// Longest refresh interval and retry delay, seconds (default 86400).
    pub max_refresh: u64,
    /// Minimum time between unknown-`kid` refetches of one source, seconds (default 60).
    pub unknown_kid_cooldown: u64,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self {
            min_refresh: 60,
            max_refresh: 86_400,
            unknown_kid_cooldown: 60,
        }
    }
}

/// The sans-IO key cache (see the module documentation).
#[derive(Debug, Clone)]
pub struct KeyCache {
    policy: RefreshPolicy,
    sources: Vec<Source>,
}

impl KeyCache {
    /// A cache over the configured sources `(url, kind)`.
    pub fn new(sources: Vec<(String, SourceKind)>, policy: RefreshPolicy) -> Self {
        Self {
            policy,
            sources: sources
                .into_iter()
                .map(|(url, kind)| Source {
                    url,
                    kind,
                    document: None,
                    next_fetch: 0,
                    last_unknown_kid_fetch: None,
                    failures: 0,
                })
                .collect(),
        }
    }

    /// The URLs the host should fetch now.
    pub fn due(&self, now: UnixTime) -> Vec<String> {
        self.sources
            .iter()
            .filter(|s| s.next_fetch <= now.as_secs())
            .map(|s| s.url.clone())
            .collect()
    }

    /// The earliest time anything becomes due (for the host's timer), if any source exists.
    pub fn next_due(&self) -> Option<UnixTime> {
        self.sources.iter().map(|s| UnixTime(s.next_fetch)).min()
    }

    fn clamp(&self, secs: u64) -> u64 {
        secs.clamp(self.policy.min_refresh, self.policy.max_refresh)
    }

    /// Ingests what the host fetched for `url`: the body on success (`max_age` from its
    /// `Cache-Control`, if any), or `None` when the fetch failed.
    ///
    /// # Errors
    /// `invalid-argument` (`url`) for a URL that is not a configured source; the document's
    /// parse error when it does not parse (the previous document is kept and a retry is
    /// scheduled).
    pub fn ingest(
        &mut self,
        url: &str,
        body: Option<&str>,
        max_age: Option<u64>,
        now: UnixTime,
        limits: &Limits,
    ) -> Result<(), Error> {
        let policy = self.policy;
        let index = self
            .sources
            .iter()
            .position(|s| s.url == url)
            .ok_or(Error::InvalidArgument("url"))?;
        let parsed = match (body, &self.sources.get(index).map(|s| s.kind.clone())) {
            (Some(text), Some(SourceKind::Jwks)) => {
                JwkSet::from_json(text, limits).map(Document::Jwks)
            }
            (Some(text), Some(SourceKind::Bundle(td))) => {
                Bundle::parse(td, text, limits).map(Document::Bundle)
            }
            (None, _) => Err(Error::InvalidArgument("fetch failed")),
            (_, None) => Err(Error::InvalidArgument("url")),
        };
        let interval = match &parsed {
            Ok(Document::Bundle(b)) => max_age.unwrap_or(b.refresh_hint()),
            Ok(Document::Jwks(_)) => max_age.unwrap_or(3600),
            Err(_) => 0,
        };
        let interval = self.clamp(interval);
        let source = self
            .sources
            .get_mut(index)
            .ok_or(Error::InvalidArgument("url"))?;
        match parsed {
            Ok(doc) => {
                source.document = Some(doc);
                source.failures = 0;
                source.next_fetch = now.as_secs().saturating_add(interval);
                Ok(())
            }
            Err(e) => {
                // Keep the last good keys; back off: min, 2 min, 4 min, ... up to max.
                let backoff = policy
                    .min_refresh
                    .saturating_mul(1u64 << source.failures.min(20))
                    .min(policy.max_refresh);
                source.failures = source.failures.saturating_add(1);
                source.next_fetch = now.as_secs().saturating_add(backoff);
                if body.is_none() { Ok(()) } else { Err(e) }
            }
        }
    }

    /// A verifier met a `kid` that `url`'s document lacks: schedules an early refetch unless
    /// one happened within the cooldown. Returns whether a fetch was scheduled.
    pub fn unknown_kid(&mut self, url: &str, now: UnixTime) -> bool {
        let cooldown = self.policy.unknown_kid_cooldown;
        let Some(s) = self.sources.iter_mut().find(|s| s.url == url) else {
            return false;
        };
        let now = now.as_secs();
        if s.last_unknown_kid_fetch
            .is_some_and(|t| now < t.saturating_add(cooldown))
        {
            return false;
        }
        s.last_unknown_kid_fetch = Some(now);
        s.next_fetch = s.next_fetch.min(now);
        true
    }

    /// The document held for `url`, if any.
    pub fn document(&self, url: &str) -> Option<&Document> {
        self.sources
            .iter()
            .find(|s| s.url == url)
            .and_then(|s| s.document.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWKS: &str = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"a"}]}"#;
    const L: Limits = Limits::DEFAULT;

    fn cache() -> KeyCache {
        KeyCache::new(
            vec![
                ("https://as.example/jwks".into(), SourceKind::Jwks),
                (
                    "https://td.example/bundle".into(),
                    SourceKind::Bundle("example.org".into()),
                ),
            ],
            RefreshPolicy::default(),
        )
    }

    #[test]
    fn schedules_refreshes_from_hints_and_cache_control() {
        let mut c = cache();
        let t = UnixTime;
        assert_eq!(c.due(t(0)).len(), 2);
        c.ingest("https://as.example/jwks", Some(JWKS), Some(600), t(0), &L)
            .unwrap();
        c.ingest(
            "https://td.example/bundle",
            Some(r#"{"keys":[],"spiffe_refresh_hint":120}"#),
            None,
            t(0),
            &L,
        )
        .unwrap();
        assert!(c.due(t(119)).is_empty());
        assert_eq!(c.due(t(120)), ["https://td.example/bundle"]);
        assert_eq!(c.due(t(600)).len(), 2);
        assert_eq!(c.next_due(), Some(t(120)));
        // Hints are clamped: 1 s becomes the 60 s minimum.
        c.ingest("https://as.example/jwks", Some(JWKS), Some(1), t(1000), &L)
            .unwrap();
        assert!(
            c.due(t(1059))
                .iter()
                .all(|u| u != "https://as.example/jwks")
        );
        assert!(matches!(
            c.document("https://as.example/jwks"),
            Some(Document::Jwks(_))
        ));
    }

    #[test]
    fn failures_keep_keys_and_back_off() {
        let mut c = cache();
        let t = UnixTime;
        let url = "https://as.example/jwks";
        c.ingest(url, Some(JWKS), None, t(0), &L).unwrap();
        // A failed fetch: keys kept, retry after 60, then 120, then 240.
        c.ingest(url, None, None, t(3600), &L).unwrap();
        assert!(c.document(url).is_some());
        assert!(!c.due(t(3659)).contains(&url.to_owned()));
        assert!(c.due(t(3660)).contains(&url.to_owned()));
        assert!(c.ingest(url, Some("not json"), None, t(3660), &L).is_err());
        assert!(c.document(url).is_some());
        assert!(!c.due(t(3779)).contains(&url.to_owned()));
        assert!(c.due(t(3780)).contains(&url.to_owned()));
        assert_eq!(
            c.ingest("https://unknown.example", Some(JWKS), None, t(0), &L)
                .unwrap_err(),
            Error::InvalidArgument("url")
        );
    }

    #[test]
    fn unknown_kid_floods_cost_one_fetch_per_cooldown() {
        let mut c = cache();
        let t = UnixTime;
        let url = "https://as.example/jwks";
        c.ingest(url, Some(JWKS), Some(86_400), t(0), &L).unwrap();
        let scheduled = (0..10_000u64)
            .filter(|i| c.unknown_kid(url, t(100 + i / 1000)))
            .count();
        assert_eq!(scheduled, 1);
        assert!(c.due(t(100)).contains(&url.to_owned()));
        c.ingest(url, Some(JWKS), Some(86_400), t(101), &L).unwrap();
        assert!(!c.unknown_kid(url, t(150)));
        assert!(c.unknown_kid(url, t(160)));
    }
}
