//! RFC 8785 JSON Canonicalization Scheme, for the values signed documents carry (A2A Agent
//! Cards): object members sorted by their UTF-16 code units, no whitespace, strings escaped as
//! ECMAScript's `JSON.stringify` does (which is what `serde_json` writes: `\b \t \n \f \r \" \\`
//! and other control characters as `\u00xx`, nothing else), and numbers in ECMAScript form.
//!
//! Numbers: integers within ±(2^53 − 1) (and floats with an integral value in that range) are
//! written as integers; any other number is refused (`invalid-argument` (`jcs number`)) rather
//! than risk a byte that differs from another implementation's. Agent Cards carry no such
//! numbers.

use serde_json::Value;

use crate::error::Error;

const SAFE: f64 = 9_007_199_254_740_991.0;

fn number(n: &serde_json::Number, out: &mut String) -> Result<(), Error> {
    use std::fmt::Write as _;
    if let Some(i) = n.as_i64() {
        if i.unsigned_abs() <= 9_007_199_254_740_991 {
            let _ = write!(out, "{i}");
            return Ok(());
        }
    } else if let Some(u) = n.as_u64() {
        if u <= 9_007_199_254_740_991 {
            let _ = write!(out, "{u}");
            return Ok(());
        }
    } else if let Some(f) = n.as_f64()
        && f.is_finite()
        && f.fract() == 0.0
        && f.abs() <= SAFE
    {
        #[allow(clippy::cast_possible_truncation, reason = "integral and within ±2^53")]
        let i = f as i64;
        let _ = write!(out, "{i}");
        return Ok(());
    }
    Err(Error::InvalidArgument("jcs number"))
}

fn write(v: &Value, out: &mut String, depth: usize) -> Result<(), Error> {
    if depth > 64 {
        return Err(Error::LimitExceeded(crate::error::Limit::JsonDepth));
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => number(n, out)?,
        Value::String(s) => {
            out.push_str(&serde_json::to_string(s).map_err(|_| Error::MalformedJson)?);
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out, depth.saturating_add(1))?;
            }
            out.push(']');
        }
        Value::Object(o) => {
            let mut members: Vec<(&String, &Value)> = o.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).map_err(|_| Error::MalformedJson)?);
                out.push(':');
                write(v, out, depth.saturating_add(1))?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// The RFC 8785 canonical form of `v`.
///
/// # Errors
/// `invalid-argument` (`jcs number`) for a number outside the integer subset (see the module
/// documentation); `limit-exceeded` past 64 levels of nesting.
pub fn canonicalize(v: &Value) -> Result<String, Error> {
    let mut out = String::new();
    write(v, &mut out, 1)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc_8785_ordering_and_escapes() {
        // RFC 8785 §3.2.3: sorting by UTF-16 code units puts U+1F600 (a surrogate pair) before
        // U+FB33, unlike code-point order.
        let v = json!({"\u{fb33}": 1, "\u{1f600}": 2, "\r": 3, "1": 4, "a": "\u{7f}\u{1}\"/é"});
        assert_eq!(
            canonicalize(&v).unwrap(),
            "{\"\\r\":3,\"1\":4,\"a\":\"\u{7f}\\u0001\\\"/é\",\"\u{1f600}\":2,\"\u{fb33}\":1}"
        );
        assert_eq!(canonicalize(&json!([1.0, -0.0, 42])).unwrap(), "[1,0,42]");
        assert!(canonicalize(&json!(0.5)).is_err());
        assert!(canonicalize(&json!(9_007_199_254_740_993_u64)).is_err());
    }
}
