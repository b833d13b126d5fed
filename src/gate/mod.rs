//! The paved path: [`Verifier::authenticate`] decides about an incoming request under a
//! [`Policy`](crate::policy::Policy); [`Signer::sign`] adds what an outgoing request needs.
//! Beneath them: the verified-credential cache and the sans-IO key cache the hosts drive.

mod cache;
pub mod edge;
mod keycache;
mod pep;
mod signer;
mod verifier;

pub use cache::CredentialCache;
pub use keycache::{Document, KeyCache, RefreshPolicy, SourceKind};
pub use pep::{SubjectFacts, principal_subject, subject_entity};
pub use signer::{OutgoingRequest, Signer, TokenType, WorkloadProof};
pub use verifier::{
    AppliedEvent, Denial, IncomingRequest, PollOutcome, Principal, VerifiedToken, Verifier,
    VerifierOptions, VerifierStats,
};

#[cfg(test)]
mod send_tests {
    /// Native servers move verifiers and signers between threads (a verifier behind a mutex,
    /// a signer per task): both must stay `Send`.
    #[test]
    fn verifier_and_signer_are_send() {
        fn send<T: Send>() {}
        send::<super::Verifier>();
        send::<super::Signer>();
    }
}
