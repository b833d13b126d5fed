//! Time as an input.
//!
//! The core never reads a clock: every check that depends on time takes a [`UnixTime`] from the
//! caller, and every time comparison allows a [`Leeway`] for clock skew between hosts.

/// Seconds since the Unix epoch (1970-01-01T00:00:00Z), supplied by the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub u64);

impl UnixTime {
    /// The number of seconds since the epoch.
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// `self + secs`, saturating at the end of representable time.
    pub const fn saturating_add(self, secs: u64) -> Self {
        Self(self.0.saturating_add(secs))
    }

    /// `self - secs`, saturating at the epoch.
    pub const fn saturating_sub(self, secs: u64) -> Self {
        Self(self.0.saturating_sub(secs))
    }
}

/// Allowed clock skew, in seconds, applied to `exp`, `nbf` and `iat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Leeway(pub u64);

impl Leeway {
    /// The default: 60 seconds.
    pub const DEFAULT: Self = Self(60);
}

impl Default for Leeway {
    fn default() -> Self {
        Self::DEFAULT
    }
}
