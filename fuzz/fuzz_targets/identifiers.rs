//! SPIFFE IDs, WIMSE identifiers and patterns: parse, and match a pattern against an ID.
#![no_main]
use a2a_auth::identity::{IdPattern, WorkloadId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (a, b) = text.split_once('\n').unwrap_or((text, text));
    if let (Ok(p), Ok(id)) = (IdPattern::parse(a), WorkloadId::parse(b)) {
        let _ = p.matches(&id);
    }
    if let Ok(id) = WorkloadId::parse(a) {
        assert_eq!(
            WorkloadId::parse(id.as_str()).ok().as_ref(),
            Some(&id),
            "canonical round trip"
        );
    }
});
