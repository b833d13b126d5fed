//! The paved path's building blocks (issue 9, in progress): the verified-credential cache and
//! the sans-IO key cache the verifier and the hosts share. `Verifier::authenticate` and
//! `Signer::sign` build on these.

mod cache;
mod keycache;

pub use cache::CredentialCache;
pub use keycache::{Document, KeyCache, RefreshPolicy, SourceKind};
