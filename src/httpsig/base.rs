//! The signature base (RFC 9421 §2.5) and component values (§2.1 fields, §2.2 derived).

use sfv::{BareItem, FieldType as _, InnerList, Item, ListEntry, Parser, Version};

use super::inner_list_text;
use crate::error::Error;

/// The structured type of a field, for the `sf` and `key` component parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// An sf-item.
    Item,
    /// An sf-list.
    List,
    /// An sf-dictionary.
    Dictionary,
}

/// Structured fields this library knows the type of (RFC 9421, 9530, 9209, 9218, 8941 users).
const KNOWN_TYPES: [(&str, FieldType); 11] = [
    ("signature-input", FieldType::Dictionary),
    ("signature", FieldType::Dictionary),
    ("accept-signature", FieldType::Dictionary),
    ("content-digest", FieldType::Dictionary),
    ("repr-digest", FieldType::Dictionary),
    ("want-content-digest", FieldType::Dictionary),
    ("want-repr-digest", FieldType::Dictionary),
    ("priority", FieldType::Dictionary),
    ("cache-status", FieldType::List),
    ("proxy-status", FieldType::List),
    ("client-cert", FieldType::Item),
];

/// A request as the signer or verifier sees it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The method token exactly as sent.
    pub method: &'a str,
    /// The absolute target URI (RFC 9110 §7.1), reconstructed by the host from its own
    /// configuration, e.g. `https://example.com/foo?param=Value`.
    pub target_uri: &'a str,
    /// Header fields, repeats kept as separate entries.
    pub headers: &'a [(String, String)],
    /// Trailer fields.
    pub trailers: &'a [(String, String)],
}

/// A response as the signer or verifier sees it.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// The status code.
    pub status: u16,
    /// Header fields, repeats kept as separate entries.
    pub headers: &'a [(String, String)],
    /// Trailer fields.
    pub trailers: &'a [(String, String)],
}

/// The message a signature is over.
#[derive(Debug, Clone, Copy)]
pub enum Message<'a> {
    /// A request.
    Request(Request<'a>),
    /// A response, with the request it answers (for `;req` components).
    Response(Response<'a>, Option<Request<'a>>),
}

impl<'a> Message<'a> {
    /// The message's header fields.
    pub fn fields(&self) -> &'a [(String, String)] {
        match self {
            Self::Request(r) => r.headers,
            Self::Response(r, _) => r.headers,
        }
    }
}

fn bad(what: &'static str) -> Error {
    Error::InvalidComponent(what)
}

/// Splits an absolute target URI into (scheme, authority, path, query).
fn split_uri(uri: &str) -> Result<(&str, &str, &str, Option<&str>), Error> {
    let (scheme, rest) = uri.split_once("://").ok_or(bad("target uri"))?;
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };
    if scheme.is_empty() || authority.is_empty() || authority.contains('@') {
        return Err(bad("target uri"));
    }
    Ok((scheme, authority, path, query))
}

/// `@authority`: host lowercased, default port removed (RFC 9110 §4.2.3).
fn authority(scheme: &str, authority: &str) -> String {
    let lower = authority.to_ascii_lowercase();
    let default = match scheme.to_ascii_lowercase().as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return lower,
    };
    lower
        .strip_suffix(default)
        .map_or(lower.clone(), str::to_owned)
}

/// RFC 9421 §2.2.8: WHATWG form decoding, then RFC 3986 percent-encoding of all but
/// `A-Z a-z 0-9 * - . _` with uppercase hex.
fn form_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex(i.saturating_add(1)), hex(i.saturating_add(2))) {
                (Some(h), Some(l)) => {
                    out.push(u8::try_from(h.saturating_mul(16).saturating_add(l)).unwrap_or(0));
                    i = i.saturating_add(2);
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i = i.saturating_add(1);
    }
    out
}

fn query_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn query_param(query: Option<&str>, name: &str) -> Result<String, Error> {
    let mut found: Option<String> = None;
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
        if query_encode(&form_decode(n)) == name {
            if found.is_some() {
                // A repeated parameter must not be signed this way (RFC 9421 §2.2.8).
                return Err(bad("@query-param repeated"));
            }
            found = Some(query_encode(&form_decode(v)));
        }
    }
    found.ok_or(bad("@query-param absent"))
}

fn request_of<'m>(message: &'m Message<'m>, req: bool) -> Result<&'m Request<'m>, Error> {
    match (message, req) {
        (Message::Request(r), false) => Ok(r),
        (Message::Request(_), true) => Err(bad("req on a request")),
        (Message::Response(_, Some(r)), true) => Ok(r),
        (Message::Response(_, None), true) => Err(bad("req without the request")),
        (Message::Response(..), false) => Err(bad("request component on a response")),
    }
}

fn derived(name: &str, item: &Item, message: &Message<'_>, req: bool) -> Result<String, Error> {
    if name == "@status" {
        return match (message, req) {
            (Message::Response(r, _), false) => Ok(format!("{:03}", r.status)),
            _ => Err(bad("@status")),
        };
    }
    let request = request_of(message, req)?;
    let (scheme, auth, path, query) = split_uri(request.target_uri)?;
    let value = match name {
        "@method" => request.method.to_owned(),
        "@target-uri" => request
            .target_uri
            .split('#')
            .next()
            .unwrap_or_default()
            .to_owned(),
        "@authority" => authority(scheme, auth),
        "@scheme" => scheme.to_ascii_lowercase(),
        "@request-target" => match query {
            Some(q) => format!("{}?{q}", if path.is_empty() { "/" } else { path }),
            None => (if path.is_empty() { "/" } else { path }).to_owned(),
        },
        "@path" => (if path.is_empty() { "/" } else { path }).to_owned(),
        "@query" => format!("?{}", query.unwrap_or_default()),
        "@query-param" => {
            let Some(BareItem::String(n)) = item.params.get("name") else {
                return Err(bad("@query-param needs name"));
            };
            query_param(query, n.as_str())?
        }
        _ => return Err(bad("unknown derived component")),
    };
    if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(bad("derived value not printable ascii"));
    }
    Ok(value)
}

fn field_type(name: &str, extra: &[(&str, FieldType)]) -> Option<FieldType> {
    extra
        .iter()
        .chain(KNOWN_TYPES.iter())
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
}

fn strict(text: &str, ty: FieldType) -> Result<String, Error> {
    let p = || Parser::new(text).with_version(Version::Rfc8941);
    let bad_sf = |_| bad("field is not a valid structured field");
    Ok(match ty {
        FieldType::Item => p().parse::<Item>().map_err(bad_sf)?.serialize(),
        FieldType::List => p()
            .parse::<sfv::List>()
            .map_err(bad_sf)?
            .serialize()
            .unwrap_or_default(),
        FieldType::Dictionary => p()
            .parse::<sfv::Dictionary>()
            .map_err(bad_sf)?
            .serialize()
            .unwrap_or_default(),
    })
}

fn field(
    name: &str,
    item: &Item,
    message: &Message<'_>,
    extra: &[(&str, FieldType)],
) -> Result<String, Error> {
    let flag = |p: &str| match item.params.get(p) {
        None => Ok(false),
        Some(BareItem::Boolean(b)) => Ok(*b),
        Some(_) => Err(bad("component parameter type")),
    };
    let (sf, bs, req, tr) = (flag("sf")?, flag("bs")?, flag("req")?, flag("tr")?);
    let key = match item.params.get("key") {
        None => None,
        Some(BareItem::String(s)) => Some(s.as_str().to_owned()),
        Some(_) => return Err(bad("component parameter type")),
    };
    if item
        .params
        .keys()
        .any(|k| !matches!(k.as_str(), "sf" | "key" | "bs" | "req" | "tr"))
    {
        return Err(bad("unknown component parameter"));
    }
    if bs && (sf || key.is_some()) {
        return Err(bad("bs with sf or key"));
    }
    let fields = match (message, req) {
        (Message::Request(_), true) => return Err(bad("req on a request")),
        (Message::Response(_, Some(r)), true) => {
            if tr {
                r.trailers
            } else {
                r.headers
            }
        }
        (Message::Response(_, None), true) => return Err(bad("req without the request")),
        (Message::Request(r), false) => {
            if tr {
                r.trailers
            } else {
                r.headers
            }
        }
        (Message::Response(r, _), false) => {
            if tr {
                r.trailers
            } else {
                r.headers
            }
        }
    };
    // Each line trimmed, obs-fold replaced by one space.
    let lines: Vec<String> = fields
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| {
            let unfolded: String = v
                .split(['\r', '\n'])
                .map(|s| s.trim_matches([' ', '\t']))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            unfolded.trim_matches([' ', '\t']).to_owned()
        })
        .collect();
    if lines.is_empty() {
        return Err(bad("field absent"));
    }
    let value = if bs {
        let list: sfv::List = lines
            .iter()
            .map(|l| ListEntry::Item(Item::new(BareItem::ByteSequence(l.as_bytes().to_vec()))))
            .collect();
        list.serialize().unwrap_or_default()
    } else {
        let combined = lines.join(", ");
        if let Some(member) = key {
            if field_type(name, extra) != Some(FieldType::Dictionary) {
                return Err(bad("key on a field not known as a dictionary"));
            }
            let dict: sfv::Dictionary = Parser::new(&combined)
                .with_version(Version::Rfc8941)
                .parse()
                .map_err(|_| bad("field is not a valid dictionary"))?;
            match dict.get(member.as_str()) {
                Some(ListEntry::Item(i)) => i.serialize(),
                Some(ListEntry::InnerList(il)) => inner_list_text(il)?,
                None => return Err(bad("dictionary member absent")),
            }
        } else if sf {
            let ty = field_type(name, extra).ok_or(bad("sf on a field of unknown type"))?;
            strict(&combined, ty)?
        } else {
            combined
        }
    };
    if !value.is_ascii() || value.contains(['\r', '\n']) {
        return Err(bad("field value not ascii"));
    }
    Ok(value)
}

/// Builds the signature base for the components and parameters of `list` (RFC 9421 §2.5).
///
/// # Errors
/// `invalid-component` for a component that cannot be computed (unknown derived name, absent
/// field, bad or inapplicable parameter, a repeated identifier, `@signature-params` listed).
pub fn signature_base(
    message: &Message<'_>,
    list: &InnerList,
    field_types: &[(&str, FieldType)],
) -> Result<String, Error> {
    let mut out = String::new();
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    for item in &list.items {
        let Some(name) = item.bare_item.as_string().map(|s| s.as_str().to_owned()) else {
            return Err(Error::MalformedHttpSignature);
        };
        // Identifier equality ignores parameter order.
        let mut params: Vec<String> = item
            .params
            .iter()
            .map(|(k, v)| {
                let mut p = sfv::Parameters::new();
                p.insert(k.clone(), v.clone());
                Item::with_params(BareItem::Boolean(true), p).serialize()
            })
            .collect();
        params.sort_unstable();
        if seen.iter().any(|(n, p)| *n == name && *p == params) {
            return Err(bad("component listed twice"));
        }
        seen.push((name.clone(), params));
        let req = matches!(item.params.get("req"), Some(BareItem::Boolean(true)));
        let value = if name == "@signature-params" {
            return Err(bad("@signature-params listed"));
        } else if name.starts_with('@') {
            if item
                .params
                .keys()
                .any(|k| !matches!(k.as_str(), "req" | "name"))
                || (item.params.contains_key("name") && name != "@query-param")
            {
                return Err(bad("unknown component parameter"));
            }
            derived(&name, item, message, req)?
        } else {
            if name.bytes().any(|b| b.is_ascii_uppercase()) {
                return Err(bad("field names are lowercase"));
            }
            field(&name, item, message, field_types)?
        };
        out.push_str(&item.serialize());
        out.push_str(": ");
        out.push_str(&value);
        out.push('\n');
    }
    out.push_str("\"@signature-params\": ");
    out.push_str(&inner_list_text(list)?);
    if !out.is_ascii() {
        return Err(bad("signature base not ascii"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_param_encoding_follows_the_rfc_example() {
        let q = Some(
            "var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something",
        );
        assert_eq!(
            query_param(q, "var").unwrap(),
            "this%20is%20a%20big%0Amultiline%20value"
        );
        assert_eq!(query_param(q, "bar").unwrap(), "with%20plus%20whitespace");
        assert_eq!(query_param(q, "fa%C3%A7ade%22%3A%20").unwrap(), "something");
        assert_eq!(query_param(Some("qux="), "qux").unwrap(), "");
        assert!(query_param(Some("a=1&a=2"), "a").is_err());
        assert!(query_param(Some("a=1"), "b").is_err());
    }
}
