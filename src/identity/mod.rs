//! Agent identity: SPIFFE IDs (SPIFFE-ID.md, Stable) and WIMSE workload identifiers
//! (draft-ietf-wimse-identifier, strict canonical rules of the editor's copy after -03).
//!
//! In scope so far: canonical parsing, byte-exact comparison, trust-domain extraction, and
//! policy patterns that match whole segments within one exact origin. Trust bundles, Workload
//! Identity Tokens, JWT-SVIDs and X.509-SVIDs follow (issue 6).

mod id;

pub use id::{IdPattern, Scheme, WorkloadId};
