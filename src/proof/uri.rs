//! HTTP(S) URI normalisation for DPoP `htu` (RFC 9449 §4.3 with RFC 3986 §6.2.2–6.2.3) and for
//! proof audiences.
//!
//! Both sides of a comparison go through [`normalize_http_uri`]: absolute `http`/`https` URI,
//! no userinfo, ASCII only; scheme and host lowercased; `%xx` escapes uppercased and those of
//! unreserved characters decoded; dot segments removed; the default port and an empty port
//! dropped; an empty path becomes `/`; query and fragment removed.
//!
//! Written here rather than taken from the `url` crate: that crate implements the WHATWG URL
//! standard (IDNA tables that would weigh on every WebAssembly host, and no decoding of
//! unreserved escapes), while RFC 9449 asks for RFC 3986 normalisation, which is this small.

use crate::error::Error;

const MAX_URI_BYTES: usize = 8 * 1024;

fn bad() -> Error {
    Error::InvalidArgument("uri")
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(b.wrapping_sub(b'a').wrapping_add(10)),
        b'A'..=b'F' => Some(b.wrapping_sub(b'A').wrapping_add(10)),
        _ => None,
    }
}

/// RFC 3986 §6.2.2.1–2: uppercase escapes, decode those of unreserved characters.
fn normalize_escapes(s: &str) -> Result<String, Error> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let (h, l) = match (bytes.get(i.wrapping_add(1)), bytes.get(i.wrapping_add(2))) {
                (Some(h), Some(l)) => (hex(*h).ok_or_else(bad)?, hex(*l).ok_or_else(bad)?),
                _ => return Err(bad()),
            };
            let decoded = (h << 4) | l;
            if is_unreserved(decoded) {
                out.push(char::from(decoded));
            } else {
                out.push('%');
                out.push(char::from(
                    b"0123456789ABCDEF"
                        .get(usize::from(h))
                        .copied()
                        .ok_or_else(bad)?,
                ));
                out.push(char::from(
                    b"0123456789ABCDEF"
                        .get(usize::from(l))
                        .copied()
                        .ok_or_else(bad)?,
                ));
            }
            i = i.saturating_add(3);
        } else {
            // RFC 3986 §2: only these characters appear unescaped in a path.
            if !(is_unreserved(b) || b"!$&'()*+,;=:@/".contains(&b)) {
                return Err(bad());
            }
            out.push(char::from(b));
            i = i.saturating_add(1);
        }
    }
    Ok(out)
}

/// RFC 3986 §5.2.4 `remove_dot_segments`.
fn remove_dot_segments(path: &str) -> String {
    let mut output: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." | ".." => {
                if *seg == ".." {
                    output.pop();
                }
                // A trailing dot segment leaves a trailing slash.
                if i == last {
                    output.push("");
                }
            }
            s => output.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    for seg in output {
        out.push('/');
        out.push_str(seg);
    }
    out
}

/// The normalised form of an absolute `http`/`https` URI without query and fragment.
///
/// # Errors
/// `invalid-argument` (`uri`) for anything else: relative references, other schemes,
/// userinfo, non-ASCII, malformed escapes, characters not allowed in a path, an empty host or
/// a non-numeric port, more than 8 KiB.
pub fn normalize_http_uri(uri: &str) -> Result<String, Error> {
    if uri.len() > MAX_URI_BYTES || !uri.is_ascii() {
        return Err(bad());
    }
    let (scheme, rest) = uri.split_once("://").ok_or_else(bad)?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => "443",
        "http" => "80",
        _ => return Err(bad()),
    };
    // Query and fragment go first: they may contain `/` or `@`.
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(bad());
    }
    let (host, port) = if authority.starts_with('[') {
        // IP-literal: keep as written (lowercased), port after `]`.
        let end = authority.find(']').ok_or_else(bad)?;
        let (h, p) = authority.split_at(end.saturating_add(1));
        (h, p.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~[]:".contains(&b))
    {
        return Err(bad());
    }
    let port = match port {
        None | Some("") => None,
        Some(p) if !p.bytes().all(|b| b.is_ascii_digit()) => return Err(bad()),
        Some(p) => match p.trim_start_matches('0') {
            "" => Some("0"),
            t if t == default_port => None,
            t => Some(t),
        },
    };
    let path = normalize_escapes(path)?;
    let path = if path.is_empty() {
        "/".to_owned()
    } else {
        remove_dot_segments(&path)
    };
    let mut out = format!("{scheme}://{}", host.to_ascii_lowercase());
    if let Some(p) = port {
        out.push(':');
        out.push_str(p);
    }
    out.push_str(&path);
    Ok(out)
}

/// `uri` with its query and fragment removed (no other change): what a WPT's `aud` or a DPoP
/// `htu` carries.
pub fn strip_query(uri: &str) -> &str {
    uri.split(['?', '#']).next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3986_normalisation() {
        let n = |s| normalize_http_uri(s).unwrap();
        assert_eq!(
            n("HTTPS://Server.Example.COM:443/a/./b/../c?q#f"),
            "https://server.example.com/a/c"
        );
        assert_eq!(
            n("https://server.example.com"),
            "https://server.example.com/"
        );
        assert_eq!(
            n("https://server.example.com:/x"),
            "https://server.example.com/x"
        );
        assert_eq!(n("http://h:80/x"), "http://h/x");
        assert_eq!(n("http://h:8080/x"), "http://h:8080/x");
        assert_eq!(n("https://h/%7euser/%2f%41"), "https://h/~user/%2FA");
        assert_eq!(n("https://h/a/b/.."), "https://h/a/");
        assert_eq!(n("https://[::1]:8443/x"), "https://[::1]:8443/x");
        for bad in [
            "/relative",
            "ftp://h/x",
            "https://user@h/x",
            "https:///x",
            "https://h/x%zz",
            "https://h/x%4",
            "https://h:12a/x",
            "https://h/a b",
            "https://hé/x",
            "https://h/\"x",
        ] {
            assert!(normalize_http_uri(bad).is_err(), "{bad}");
        }
    }
}
