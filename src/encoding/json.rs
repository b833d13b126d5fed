//! Strict JSON for token headers, payloads and keys (RFC 8259, with the I-JSON choices of
//! RFC 7493 where they matter for security).
//!
//! - Duplicate member names are rejected (RFC 7519 §4 allows "reject or last wins"; a parser
//!   that keeps the last one lets two components read two different values).
//! - Nesting depth and total size are bounded by [`Limits`].
//! - Input is UTF-8; lone surrogate escapes are rejected; no byte-order mark.
//! - The top-level value must be an object.
//!
//! Numbers keep serde_json's representation (u64, i64 or f64).

use core::cell::Cell;
use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Limit};
use crate::limits::Limits;

/// A JSON object as parsed by [`parse_object`].
pub type Object = Map<String, Value>;

/// Parses `bytes` as one strict JSON object.
///
/// # Errors
/// - `limit-exceeded` (`max_json_bytes`, `max_json_depth`) when the document is too large or
///   too deeply nested;
/// - `duplicate-json-member` when an object repeats a member name;
/// - `malformed-json` for anything else that is not one JSON object.
pub fn parse_object(bytes: &[u8], limits: &Limits) -> Result<Object, Error> {
    match parse_value(bytes, limits)? {
        Value::Object(map) => Ok(map),
        _ => Err(Error::MalformedJson),
    }
}

/// Parses `bytes` as one strict JSON value of any kind (see [`parse_object`]).
///
/// # Errors
/// As [`parse_object`], except that a non-object value is accepted.
pub fn parse_value(bytes: &[u8], limits: &Limits) -> Result<Value, Error> {
    if bytes.len() > limits.max_json_bytes {
        return Err(Error::LimitExceeded(Limit::JsonBytes));
    }
    let problem = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let seed = StrictSeed {
        depth: 0,
        max_depth: limits.max_json_depth,
        problem: &problem,
    };
    let parsed = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(v) => Ok(v),
        Err(_) => Err(problem.get().unwrap_or(Error::MalformedJson)),
    }
}

/// Serializes a value as compact JSON: no whitespace, object members sorted by name (UTF-8
/// byte order, which equals code point order), whatever map ordering serde_json was built with.
/// Signed headers are therefore reproducible byte for byte.
pub fn to_compact(value: &Value) -> String {
    let mut out = String::new();
    write_compact(value, &mut out);
    out
}

fn write_compact(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(&Value::String(k.clone()), out);
                out.push(':');
                write_compact(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(v, out);
            }
            out.push(']');
        }
        // Scalars: serde_json's own escaping; serializing a scalar cannot fail.
        scalar => out.push_str(&serde_json::to_string(scalar).unwrap_or_default()),
    }
}

struct StrictSeed<'p> {
    depth: usize,
    max_depth: usize,
    problem: &'p Cell<Option<Error>>,
}

impl StrictSeed<'_> {
    fn fail<E: de::Error>(&self, e: Error) -> E {
        self.problem.set(Some(e));
        E::custom(e.code())
    }

    fn nested<E: de::Error>(&self) -> Result<Self, E> {
        let depth = self.depth.saturating_add(1);
        if depth > self.max_depth {
            return Err(self.fail(Error::LimitExceeded(Limit::JsonDepth)));
        }
        Ok(StrictSeed {
            depth,
            max_depth: self.max_depth,
            problem: self.problem,
        })
    }
}

impl<'de> DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a json value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| self.fail(Error::MalformedJson))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let inner = self.nested()?;
            match seq.next_element_seed(inner)? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let inner = self.nested()?;
            let value = map.next_value_seed(inner)?;
            // RFC 7519 §4 / RFC 8725 §3.6 spirit: never let two readers see different values.
            if out.insert(key, value).is_some() {
                return Err(self.fail(Error::DuplicateJsonMember));
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Object, Error> {
        parse_object(s.as_bytes(), &Limits::DEFAULT)
    }

    #[test]
    fn accepts_objects() {
        let o = parse(r#"{"a":1,"b":[true,null,"x",-2,1.5],"c":{"d":{}}}"#).unwrap();
        assert_eq!(o.len(), 3);
        assert_eq!(o["b"][4], Value::from(1.5));
    }

    #[test]
    fn compact_output_is_sorted_and_escaped() {
        let v: Value =
            serde_json::from_str(r#"{"b":[1,{"z":null,"a":"\u0001\""}],"a":true}"#).unwrap();
        assert_eq!(
            to_compact(&v),
            r#"{"a":true,"b":[1,{"a":"\u0001\"","z":null}]}"#
        );
    }

    #[test]
    fn rejects_duplicates_at_any_depth() {
        assert_eq!(parse(r#"{"a":1,"a":2}"#), Err(Error::DuplicateJsonMember));
        assert_eq!(
            parse(r#"{"x":[{"a":1,"a":1}]}"#),
            Err(Error::DuplicateJsonMember)
        );
        // Escapes are decoded before comparison: "\u0061" is "a".
        assert_eq!(
            parse(r#"{"a":1,"\u0061":2}"#),
            Err(Error::DuplicateJsonMember)
        );
    }

    #[test]
    fn rejects_non_objects_and_garbage() {
        for bad in [
            "[]",
            "1",
            "\"s\"",
            "null",
            "{",
            "{}x",
            "{}{}",
            "{'a':1}",
            "{\"a\":01}",
            "",
        ] {
            assert_eq!(parse(bad), Err(Error::MalformedJson), "{bad:?}");
        }
    }

    #[test]
    fn rejects_bad_unicode() {
        assert_eq!(parse(r#"{"a":"\ud800"}"#), Err(Error::MalformedJson));
        assert_eq!(
            parse_object(b"{\"a\":\"\xff\"}", &Limits::DEFAULT),
            Err(Error::MalformedJson)
        );
        assert_eq!(
            parse_object(b"\xef\xbb\xbf{}", &Limits::DEFAULT),
            Err(Error::MalformedJson)
        );
        assert!(parse(r#"{"a":"\ud83d\ude00"}"#).is_ok());
    }

    #[test]
    fn bounds_depth_and_size() {
        let limits = Limits::DEFAULT;
        let ok = format!(
            "{}{}",
            "{\"a\":".repeat(16),
            "1".to_owned() + &"}".repeat(16)
        );
        assert!(parse(&ok).is_ok());
        let deep = format!(
            "{}{}",
            "{\"a\":".repeat(17),
            "1".to_owned() + &"}".repeat(17)
        );
        assert_eq!(parse(&deep), Err(Error::LimitExceeded(Limit::JsonDepth)));
        let bomb = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let big = Limits {
            max_json_bytes: 1 << 20,
            ..limits
        };
        assert_eq!(
            parse_object(bomb.as_bytes(), &big),
            Err(Error::LimitExceeded(Limit::JsonDepth))
        );
        let huge = vec![b' '; limits.max_json_bytes + 1];
        assert_eq!(
            parse_object(&huge, &limits),
            Err(Error::LimitExceeded(Limit::JsonBytes))
        );
    }
}
