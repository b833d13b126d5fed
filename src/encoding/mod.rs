//! Strict encodings shared by every token kind: unpadded base64url (RFC 4648 §5, as RFC 7515
//! §2 uses it) and strict JSON (RFC 8259 objects with duplicate members rejected, depth and
//! size bounded, UTF-8 only).
//!
//! Structured fields (RFC 8941/9651) arrive with the HTTP signatures module.

pub mod base64url;
pub mod jcs;
pub mod json;
