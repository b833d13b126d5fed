//! Workload identifiers: `spiffe://<trust-domain>/<path>` and `wimse://<trust-domain>/<path>`.
//!
//! A small byte-level parser per scheme, no URL crate: an identifier is accepted only in its
//! canonical form and kept as the validated string, so every later step (trust lookup, policy,
//! caching, audit) compares the same bytes. Non-canonical input is rejected, never repaired
//! (identifier editor's copy §4; attack list A1–A4).

use core::fmt;

use crate::error::Error;

/// Identifiers longer than this are refused (SPIFFE-ID.md §2.3, identifier §4.1).
const MAX_ID_BYTES: usize = 2048;
/// Trust domain names longer than this are refused (SPIFFE-ID.md §2.1; applied to both schemes).
const MAX_TRUST_DOMAIN_BYTES: usize = 255;

/// The identifier scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// `spiffe://` (SPIFFE-ID.md).
    Spiffe,
    /// `wimse://` (draft-ietf-wimse-identifier).
    Wimse,
}

impl Scheme {
    /// The scheme name (`spiffe` or `wimse`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Spiffe => "spiffe",
            Self::Wimse => "wimse",
        }
    }

    const fn prefix(self) -> &'static str {
        match self {
            Self::Spiffe => "spiffe://",
            Self::Wimse => "wimse://",
        }
    }

    fn path_byte_ok(self, b: u8) -> bool {
        // SPIFFE-ID.md §2.2: [a-zA-Z0-9.-_]; wimse: RFC 3986 unreserved, which adds `~`.
        b.is_ascii_alphanumeric()
            || matches!(b, b'.' | b'-' | b'_')
            || (self == Self::Wimse && b == b'~')
    }
}

/// A canonical SPIFFE ID or WIMSE workload identifier.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkloadId {
    text: String,
    scheme: Scheme,
    /// Byte offset where the path starts (the end of the trust domain).
    path_start: usize,
}

fn bad(reason: &'static str) -> Error {
    Error::InvalidIdentifier(reason)
}

impl WorkloadId {
    /// Parses a SPIFFE ID or a WIMSE identifier, chosen by the (lowercase) scheme prefix.
    ///
    /// # Errors
    /// `invalid-identifier` for anything but the canonical form of either scheme.
    pub fn parse(text: &str) -> Result<Self, Error> {
        if text.starts_with(Scheme::Wimse.prefix()) {
            Self::parse_scheme(text, Scheme::Wimse)
        } else {
            Self::parse_scheme(text, Scheme::Spiffe)
        }
    }

    /// Parses a SPIFFE ID only.
    ///
    /// # Errors
    /// `invalid-identifier` unless `text` is a canonical SPIFFE ID.
    pub fn parse_spiffe(text: &str) -> Result<Self, Error> {
        Self::parse_scheme(text, Scheme::Spiffe)
    }

    /// Parses a WIMSE workload identifier only.
    ///
    /// # Errors
    /// `invalid-identifier` unless `text` is a canonical `wimse` identifier.
    pub fn parse_wimse(text: &str) -> Result<Self, Error> {
        Self::parse_scheme(text, Scheme::Wimse)
    }

    fn parse_scheme(text: &str, scheme: Scheme) -> Result<Self, Error> {
        // Length and ASCII first, before any other work (parser design §1.4).
        if text.len() > MAX_ID_BYTES {
            return Err(bad("identifier longer than 2048 bytes"));
        }
        if !text.is_ascii() {
            return Err(bad("identifier is not ascii"));
        }
        // SPIFFE-ID.md §2 / identifier §4: the exact lowercase prefix (no `SPIFFE://`).
        let rest = text
            .strip_prefix(scheme.prefix())
            .ok_or(bad("scheme is missing or invalid"))?;
        let td_len = rest.find('/').unwrap_or(rest.len());
        let (td, path) = rest
            .split_at_checked(td_len)
            .ok_or(bad("trust domain is missing"))?;
        if td.is_empty() {
            return Err(bad("trust domain is missing"));
        }
        if td.len() > MAX_TRUST_DOMAIN_BYTES {
            return Err(bad("trust domain longer than 255 bytes"));
        }
        // SPIFFE-ID.md §2.1: lowercase letters, digits, `.`, `-`, `_`; this also refuses
        // userinfo (`@`), ports (`:`), IPv6 literals, percent-encoding, query and fragment.
        if !td.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        }) {
            return Err(bad(
                "trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores",
            ));
        }
        // identifier editor's copy §4.2: a wimse trust domain does not end with a dot.
        if scheme == Scheme::Wimse && td.ends_with('.') {
            return Err(bad("trust domain ends with a dot"));
        }
        if path.is_empty() {
            // SPIFFE: the trust domain's own ID; wimse: a path is required.
            if scheme == Scheme::Wimse {
                return Err(bad("wimse identifiers need a path"));
            }
        } else {
            // `path` starts with '/' (it begins at the first '/'); check each segment whole.
            for segment in path.split('/').skip(1) {
                match segment {
                    "" => {
                        return Err(bad(
                            "path cannot contain empty segments or a trailing slash",
                        ));
                    }
                    "." | ".." => return Err(bad("path cannot contain dot segments")),
                    s if !s.bytes().all(|b| scheme.path_byte_ok(b)) => {
                        return Err(bad(
                            "path segment characters are not allowed (no percent-encoding, query or fragment)",
                        ));
                    }
                    _ => {}
                }
            }
        }
        let path_start = scheme.prefix().len().saturating_add(td_len);
        Ok(Self {
            text: text.to_owned(),
            scheme,
            path_start,
        })
    }

    /// The canonical identifier (compare these bytes, nothing else).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The trust domain (the authority).
    pub fn trust_domain(&self) -> &str {
        self.text
            .get(self.scheme.prefix().len()..self.path_start)
            .unwrap_or_default()
    }

    /// The path, empty for a SPIFFE trust-domain ID.
    pub fn path(&self) -> &str {
        self.text.get(self.path_start..).unwrap_or_default()
    }

    /// The origin: scheme and trust domain without a path (identifier §4.1), e.g.
    /// `spiffe://example.org`. A hint only, never an identity.
    pub fn origin(&self) -> &str {
        self.text.get(..self.path_start).unwrap_or_default()
    }
}

impl fmt::Debug for WorkloadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WorkloadId({})", self.text)
    }
}

impl fmt::Display for WorkloadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A policy pattern over workload identifiers, bound to one exact origin (attack list A5–A8).
///
/// Text forms:
/// - `spiffe://example.org/ns/prod/sa/api` — exactly this identifier;
/// - `spiffe://example.org/ns/prod/*` — any identifier *below* `/ns/prod`, compared by whole
///   segments (`/ns/prod-attacker` never matches);
/// - `spiffe://example.org/**` — every identifier in the trust domain: an origin-wide grant
///   that must be written out explicitly. A root subtree (`spiffe://example.org/*`) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IdPattern {
    /// Exactly this identifier.
    Exact(WorkloadId),
    /// Identifiers strictly below this one (whole segments, same origin).
    Below(WorkloadId),
    /// Every identifier whose origin is this one (explicit origin-wide grant).
    TrustDomain(WorkloadId),
}

impl IdPattern {
    /// Parses a pattern (see the type's documentation for the forms).
    ///
    /// # Errors
    /// `invalid-identifier` when the identifier part is not canonical, or for a root subtree.
    pub fn parse(text: &str) -> Result<Self, Error> {
        if let Some(origin) = text.strip_suffix("/**") {
            let id = WorkloadId::parse(&format!("{origin}/x"))?;
            if !id.path().eq("/x") {
                return Err(bad(
                    "an origin-wide pattern is <scheme>://<trust-domain>/**",
                ));
            }
            return Ok(Self::TrustDomain(id));
        }
        if let Some(base) = text.strip_suffix("/*") {
            // A7: a subtree rooted at the trust domain fails closed; use `/**` explicitly.
            let root = base
                .strip_prefix("spiffe://")
                .or_else(|| base.strip_prefix("wimse://"));
            if root.is_some_and(|r| !r.contains('/')) {
                return Err(bad(
                    "a root subtree is refused: write <scheme>://<trust-domain>/** for an origin-wide grant",
                ));
            }
            return Ok(Self::Below(WorkloadId::parse(base)?));
        }
        Ok(Self::Exact(WorkloadId::parse(text)?))
    }

    /// Whether `id` matches: scheme and trust domain always compared exactly (A6), paths by
    /// whole segments (A5).
    pub fn matches(&self, id: &WorkloadId) -> bool {
        match self {
            Self::Exact(p) => p == id,
            Self::Below(p) => {
                p.origin() == id.origin()
                    && id
                        .path()
                        .strip_prefix(p.path())
                        .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1)
            }
            Self::TrustDomain(p) => p.origin() == id.origin(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        let id = WorkloadId::parse("spiffe://example.org/ns/prod/sa/api").unwrap();
        assert_eq!(
            (id.scheme(), id.trust_domain(), id.path()),
            (Scheme::Spiffe, "example.org", "/ns/prod/sa/api")
        );
        assert_eq!(id.origin(), "spiffe://example.org");
        let td = WorkloadId::parse("spiffe://example.org").unwrap();
        assert_eq!((td.trust_domain(), td.path()), ("example.org", ""));
        assert_eq!(
            WorkloadId::parse_spiffe("wimse://t.example/x")
                .unwrap_err()
                .code(),
            "invalid-identifier"
        );
    }

    #[test]
    fn patterns_match_whole_segments_in_one_origin() {
        let p = IdPattern::parse("wimse://trust.example/service/pay/*").unwrap();
        let yes = WorkloadId::parse("wimse://trust.example/service/pay/worker").unwrap();
        let sibling = WorkloadId::parse("wimse://trust.example/service/payroll-attacker").unwrap();
        let other_origin =
            WorkloadId::parse("wimse://attacker.example/service/pay/worker").unwrap();
        let itself = WorkloadId::parse("wimse://trust.example/service/pay").unwrap();
        assert!(p.matches(&yes));
        assert!(!p.matches(&sibling) && !p.matches(&other_origin) && !p.matches(&itself));
        assert!(IdPattern::parse("wimse://trust.example/*").is_err());
        assert!(
            IdPattern::parse("wimse://trust.example/**")
                .unwrap()
                .matches(&yes)
        );
    }
}
