//! Agent identity: SPIFFE IDs (SPIFFE-ID.md, Stable) and WIMSE workload identifiers
//! (draft-ietf-wimse-identifier, strict canonical rules of the editor's copy after -03).
//!
//! In scope so far: canonical parsing, byte-exact comparison, trust-domain extraction, policy
//! patterns that match whole segments within one exact origin, and SPIFFE trust bundles held
//! per trust domain. Workload Identity Tokens, JWT-SVIDs and X.509-SVIDs follow (issue 6).

mod bundle;
mod id;
mod jwt_svid;
mod workload_identity_token;

pub use bundle::{Bundle, DEFAULT_REFRESH_HINT, TrustStore};
pub use id::{IdPattern, Scheme, WorkloadId};
pub use jwt_svid::{VerifiedJwtSvid, verify_jwt_svid};
pub use workload_identity_token::{
    DEFAULT_MAX_WIT_LIFETIME, VerifiedWorkloadIdentityToken, WIT_TYP, WitClaims, WitProfile,
    WitValidation, issue_workload_identity_token, verify_workload_identity_token,
};
