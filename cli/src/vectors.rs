//! `a2a-auth vectors`: runs a conformance vectors directory (VECTORS.md format) through the
//! native core, the same runner as the core's `tests/vectors.rs`.

use std::path::Path;
use std::process::ExitCode;

use a2a_auth_conformance::native::{self, LeakCheck};

use crate::common::{Fallible, note, print_line};

/// `a2a-auth vectors DIR`: exit 0 when every case matched, 1 otherwise.
pub fn run(dir: &Path, quiet: bool) -> Fallible<ExitCode> {
    if !dir.is_dir() {
        return Err(format!(
            "{}: not a directory of vector files",
            dir.display()
        ));
    }
    let mut check = LeakCheck::default();
    // A case whose input lacks a member the op needs is a failed case, not a crash: the
    // runner is test support that panics on malformed input, so catch it per case.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = a2a_auth_conformance::run_vectors("core", dir, |op, input| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            native::run(op, input, &mut check)
        }))
        .unwrap_or_else(|_| Err(format!("malformed-case: the input does not fit op `{op}`")))
    });
    std::panic::set_hook(hook);
    print_line(&format!(
        "token-free: {} error messages and records checked, {} leaks",
        check.checked,
        check.leaks.len()
    ))?;
    failures.extend(check.leaks);
    if !quiet {
        for f in &failures {
            note(f);
        }
    }
    print_line(&format!("{} failures", failures.len()))?;
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
