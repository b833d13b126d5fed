//! Rebuild when the WIT package changes: the bindings are generated from `wit/` at compile time,
//! and a new `.wit` file alone does not otherwise mark this crate dirty.
#![allow(
    clippy::print_stdout,
    reason = "cargo reads build-script directives from stdout"
)]
fn main() {
    println!("cargo:rerun-if-changed=../wit");
}
