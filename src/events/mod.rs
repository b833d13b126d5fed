//! Monitoring and remediation: Security Event Tokens (RFC 8417), Subject Identifiers (RFC
//! 9493), CAEP events and what they leave in a verifier, and Shared Signals receiver helpers.
//!
//! A receiver verifies each SET it is pushed or polls ([`verify_set`]), hands it to
//! [`crate::gate::Verifier::apply_event`] (which verifies it under the policy's `events`
//! section, de-duplicates by `jti` and applies it), and answers the transmitter with
//! [`ssf::push_response`] or the next [`ssf::poll_request`].

mod set;
pub mod ssf;
mod state;
mod subject;

pub use set::{
    CAEP, EventEntry, SET_TYP, SSF, SecurityEvent, SetValidation, VerifiedSet, issue_set,
    parse_event, verify_set,
};
pub use state::{Effect, EventRef, EventState, Verdict};
pub use subject::{CredentialFacts, SubjectId};
