//! Agent identity: SPIFFE IDs (SPIFFE-ID.md, Stable) and WIMSE workload identifiers
//! (draft-ietf-wimse-identifier, strict canonical rules of the editor's copy after -03).
//!
//! Canonical parsing, byte-exact comparison, trust-domain extraction, policy patterns that
//! match whole segments within one exact origin, SPIFFE trust bundles held per (scheme, trust
//! domain), Workload Identity Tokens (WIMSE and the WIT-SVID profile), JWT-SVIDs and
//! X.509-SVIDs.

mod bundle;
mod id;
mod issuer;
mod jwt_svid;
mod workload_identity_token;
mod x509_svid;

pub use bundle::{Bundle, DEFAULT_REFRESH_HINT, TrustStore};
pub use id::{IdPattern, Scheme, WorkloadId};
pub use issuer::{
    Attester, DEFAULT_EVIDENCE_MAX_AGE, DEFAULT_WIT_LIFETIME, IssuancePolicy, IssuedWit, Issuer,
    Rule, needs_renewal, renewal_time,
};
pub use jwt_svid::{VerifiedJwtSvid, verify_jwt_svid};
pub use workload_identity_token::{
    DEFAULT_MAX_WIT_LIFETIME, VerifiedWorkloadIdentityToken, WIT_TYP, WitClaims, WitProfile,
    WitValidation, issue_workload_identity_token, verify_workload_identity_token,
};
pub use x509_svid::{VerifiedX509Svid, parse_pem_chain, verify_x509_svid};
