//! The attack catalogue `vectors/ATTACKS.md` against the vectors themselves: every checklist
//! item of specs/wimse-spiffe.md §7 and RFC 8725 has cases (or a stated reason why it cannot be
//! a vector), every listed case exists and is a rejection, every generated `/attack-` case is
//! listed, and the suite holds at least 80 distinct cases. The vectors run on every host; this
//! test keeps the map honest.
#![allow(clippy::print_stdout, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// The checklist: §7 A1–A11 … G1–G6 and H, then RFC 8725 §2.1 and §3.1–3.12.
fn checklist() -> Vec<String> {
    let mut items = Vec::new();
    for (letter, n) in [
        ('A', 11),
        ('B', 8),
        ('C', 8),
        ('D', 7),
        ('E', 10),
        ('F', 10),
        ('G', 6),
    ] {
        items.extend((1..=n).map(|i| format!("{letter}{i}")));
    }
    items.push("H".to_owned());
    items.push("R2.1".to_owned());
    items.extend((1..=12).map(|i| format!("R3.{i}")));
    items
}

#[derive(Default, Debug)]
struct Item {
    patterns: Vec<String>,
    note: bool,
}

/// Headings `### <item> <title>`, entries ``- `<id or pattern>` ``, notes `Not a vector: …`.
fn parse(text: &str) -> Result<BTreeMap<String, Item>, String> {
    let mut items: BTreeMap<String, Item> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            let key = h.split_whitespace().next().unwrap_or_default().to_owned();
            if items.insert(key.clone(), Item::default()).is_some() {
                return Err(format!("item {key} appears twice"));
            }
            current = Some(key);
        } else if line.starts_with("## ") {
            current = None;
        } else if let Some(cur) = &current {
            let item = items.get_mut(cur).ok_or("no current item")?;
            if let Some(rest) = line.strip_prefix("- `") {
                let pattern = rest.split('`').next().unwrap_or_default();
                item.patterns.push(pattern.to_owned());
            } else if line.starts_with("Not a vector:") {
                item.note = true;
            }
        }
    }
    Ok(items)
}

/// `*` matches any run of characters; everything else literally.
fn glob(pattern: &str, id: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(mut rest) = id.strip_prefix(parts.next().unwrap_or_default()) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.split_once(part) {
            Some((_, after)) => rest = after,
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// A rejection: an error, a gate denial, or an identifier that does not match.
fn negative(expect: &Value) -> bool {
    expect.get("error").is_some()
        || expect["ok"]["allow"] == Value::Bool(false)
        || expect["ok"]["matches"] == Value::Bool(false)
}

#[test]
fn the_attack_catalogue_covers_the_checklist_with_negative_vectors() {
    let dir = a2a_auth_conformance::vectors_dir();
    let text = std::fs::read_to_string(dir.join("ATTACKS.md")).expect("vectors/ATTACKS.md");
    let items = parse(&text).expect("ATTACKS.md parses");
    let cases: BTreeMap<String, Value> = a2a_auth_conformance::all_cases(&dir)
        .expect("vectors load")
        .into_iter()
        .map(|(_, c)| {
            (
                c["id"].as_str().unwrap_or_default().to_owned(),
                c["expect"].clone(),
            )
        })
        .collect();
    let mut problems = Vec::new();
    let expected = checklist();
    for key in &expected {
        match items.get(key) {
            None => problems.push(format!("checklist item {key} has no section")),
            Some(item) if item.patterns.is_empty() && !item.note => {
                problems.push(format!("{key}: no vectors and no 'Not a vector:' reason"));
            }
            Some(_) => {}
        }
    }
    for key in items.keys() {
        if !expected.contains(key) {
            problems.push(format!("section {key} is not a checklist item"));
        }
    }
    let mut listed = BTreeSet::new();
    for (key, item) in &items {
        for pattern in &item.patterns {
            let hits: Vec<&String> = cases.keys().filter(|id| glob(pattern, id)).collect();
            if hits.is_empty() {
                problems.push(format!("{key}: `{pattern}` names no vector"));
            }
            for id in hits {
                if !negative(&cases[id]) {
                    problems.push(format!("{key}: {id} is not a rejection"));
                }
                listed.insert(id.clone());
            }
        }
    }
    for id in cases.keys().filter(|id| id.contains("/attack-")) {
        if !listed.contains(id) {
            problems.push(format!("{id} is not in ATTACKS.md"));
        }
    }
    println!(
        "attack suite: {} checklist items, {} distinct negative vectors",
        expected.len(),
        listed.len()
    );
    assert!(problems.is_empty(), "ATTACKS.md:\n{}", problems.join("\n"));
    assert!(
        listed.len() >= 80,
        "the attack suite needs at least 80 cases, has {}",
        listed.len()
    );
}

#[test]
fn the_catalogue_checks_can_fail() {
    assert!(glob("verify-wit/attack-typ-*", "verify-wit/attack-typ-wpt"));
    assert!(glob("*/attack-alg-*", "verify-set/attack-alg-NONE"));
    assert!(!glob("*/attack-alg-*", "verify-set/alg-none"));
    assert!(!glob("verify-wit/typ-jwt", "verify-wit/typ-jwt-2"));
    assert!(glob("a*b*c", "a-b-c") && !glob("a*b*c", "a-c-b"));
    assert!(negative(&serde_json::json!({"error": "typ-mismatch"})));
    assert!(negative(&serde_json::json!({"ok": {"allow": false}})));
    assert!(!negative(&serde_json::json!({"ok": {"allow": true}})));
    assert!(!negative(&serde_json::json!({"ok": {"matches": true}})));
    let items = parse("## x\n### A1 t\n- `a/b`\n### A9 t\nNot a vector: why\n### B1 t\n").unwrap();
    assert_eq!(items["A1"].patterns, ["a/b"]);
    assert!(items["A9"].note && items["B1"].patterns.is_empty() && !items["B1"].note);
    assert!(parse("### A1 x\n### A1 y\n").is_err());
}
