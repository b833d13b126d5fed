//! RFC 9728 OAuth 2.0 Protected Resource Metadata: the document a resource serves, its
//! well-known URL, and the client-side check of a fetched document.
//!
//! Resource match rule (decided here): the fetched document's `resource` must be **identical**
//! (code-point comparison) to the identifier the client expected — RFC 9728 §3.3 — not the
//! relaxed "same origin + path prefix" some SDKs apply. A prefix rule would let a document for
//! `https://api.example/` speak for `https://api.example/tenant-b`; an exact rule cannot.

use serde_json::{Map, Value};

use crate::encoding::json::{self, Object};
use crate::error::Error;
use crate::limits::Limits;

/// The members of a protected resource metadata document this library writes and reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceMetadata {
    /// `resource`: the resource identifier (https, no fragment).
    pub resource: String,
    /// `authorization_servers`: issuer identifiers.
    pub authorization_servers: Vec<String>,
    /// `scopes_supported`.
    pub scopes_supported: Vec<String>,
    /// `bearer_methods_supported` (`header` only, or empty when Bearer is not accepted).
    pub bearer_methods_supported: Vec<String>,
    /// `dpop_signing_alg_values_supported`.
    pub dpop_signing_alg_values_supported: Vec<String>,
    /// `dpop_bound_access_tokens_required`.
    pub dpop_bound_access_tokens_required: bool,
    /// `authorization_details_types_supported`.
    pub authorization_details_types_supported: Vec<String>,
    /// `resource_name`.
    pub resource_name: Option<String>,
}

fn check_resource_identifier(resource: &str) -> Result<(), Error> {
    let ok = resource.starts_with("https://")
        && !resource.contains('#')
        && resource.len() > "https://".len()
        && resource.is_ascii();
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidArgument("resource"))
    }
}

/// The metadata URL for a resource identifier (RFC 9728 §3.1): the well-known path inserted
/// between the authority and the identifier's path; a lone `/` path is dropped; a query stays
/// after the new path.
///
/// # Errors
/// `invalid-argument` (`resource`) unless the identifier is an `https` URL without fragment.
pub fn metadata_url(resource: &str) -> Result<String, Error> {
    check_resource_identifier(resource)?;
    let rest = resource.get("https://".len()..).unwrap_or_default();
    let (before_query, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };
    if authority.is_empty() {
        return Err(Error::InvalidArgument("resource"));
    }
    let path = if path == "/" { "" } else { path };
    let mut url = format!("https://{authority}/.well-known/oauth-protected-resource{path}");
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    Ok(url)
}

fn strings(values: &[String]) -> Value {
    Value::Array(values.iter().map(|s| Value::String(s.clone())).collect())
}

/// The JSON document a resource serves at [`metadata_url`].
///
/// # Errors
/// `invalid-argument` (`resource`) for an identifier that is not an `https` URL without
/// fragment.
pub fn resource_metadata_document(m: &ResourceMetadata) -> Result<String, Error> {
    check_resource_identifier(&m.resource)?;
    let mut o = Map::new();
    o.insert("resource".into(), Value::String(m.resource.clone()));
    if !m.authorization_servers.is_empty() {
        o.insert(
            "authorization_servers".into(),
            strings(&m.authorization_servers),
        );
    }
    if !m.scopes_supported.is_empty() {
        o.insert("scopes_supported".into(), strings(&m.scopes_supported));
    }
    o.insert(
        "bearer_methods_supported".into(),
        strings(&m.bearer_methods_supported),
    );
    if !m.dpop_signing_alg_values_supported.is_empty() {
        o.insert(
            "dpop_signing_alg_values_supported".into(),
            strings(&m.dpop_signing_alg_values_supported),
        );
    }
    if m.dpop_bound_access_tokens_required {
        o.insert(
            "dpop_bound_access_tokens_required".into(),
            Value::Bool(true),
        );
    }
    if !m.authorization_details_types_supported.is_empty() {
        o.insert(
            "authorization_details_types_supported".into(),
            strings(&m.authorization_details_types_supported),
        );
    }
    if let Some(name) = &m.resource_name {
        o.insert("resource_name".into(), Value::String(name.clone()));
    }
    Ok(json::to_compact(&Value::Object(o)))
}

fn string_list(o: &Object, name: &'static str) -> Result<Vec<String>, Error> {
    match o.get(name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or(Error::ClaimInvalid(name))
            })
            .collect(),
        Some(_) => Err(Error::ClaimInvalid(name)),
    }
}

/// Parses and checks a fetched metadata document (client side, RFC 9728 §3.3): a JSON object
/// whose `resource` is identical to `expected_resource` (the identifier the URL was built from,
/// or the URL of the request that drew a `resource_metadata` challenge).
///
/// # Errors
/// JSON errors; `claim-missing` / `claim-invalid` for `resource` and list members;
/// `claim-mismatch` (`resource`) when it is not identical; `alg-not-allowed` when
/// `none` is listed among signing algorithms.
pub fn parse_resource_metadata(
    text: &str,
    expected_resource: &str,
    limits: &Limits,
) -> Result<ResourceMetadata, Error> {
    let o = json::parse_object(text.as_bytes(), limits)?;
    let resource = match o.get("resource") {
        Some(Value::String(r)) => r.clone(),
        Some(_) => return Err(Error::ClaimInvalid("resource")),
        None => return Err(Error::ClaimMissing("resource")),
    };
    if resource != expected_resource {
        return Err(Error::ClaimMismatch("resource"));
    }
    let dpop_algs = string_list(&o, "dpop_signing_alg_values_supported")?;
    let signing = string_list(&o, "resource_signing_alg_values_supported")?;
    if signing.iter().chain(dpop_algs.iter()).any(|a| a == "none") {
        return Err(Error::AlgorithmNotAllowed);
    }
    let dpop_required = match o.get("dpop_bound_access_tokens_required") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::ClaimInvalid("dpop_bound_access_tokens_required")),
    };
    let resource_name = match o.get("resource_name") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::ClaimInvalid("resource_name")),
    };
    Ok(ResourceMetadata {
        resource,
        authorization_servers: string_list(&o, "authorization_servers")?,
        scopes_supported: string_list(&o, "scopes_supported")?,
        bearer_methods_supported: string_list(&o, "bearer_methods_supported")?,
        dpop_signing_alg_values_supported: dpop_algs,
        dpop_bound_access_tokens_required: dpop_required,
        authorization_details_types_supported: string_list(
            &o,
            "authorization_details_types_supported",
        )?,
        resource_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_urls_from_rfc_9728() {
        for (id, url) in [
            (
                "https://resource.example.com",
                "https://resource.example.com/.well-known/oauth-protected-resource",
            ),
            (
                "https://resource.example.com/",
                "https://resource.example.com/.well-known/oauth-protected-resource",
            ),
            (
                "https://resource.example.com/resource1",
                "https://resource.example.com/.well-known/oauth-protected-resource/resource1",
            ),
            (
                "https://mcp.example.com:8443/public/mcp",
                "https://mcp.example.com:8443/.well-known/oauth-protected-resource/public/mcp",
            ),
            (
                "https://r.example/api?tenant=1",
                "https://r.example/.well-known/oauth-protected-resource/api?tenant=1",
            ),
        ] {
            assert_eq!(metadata_url(id).unwrap(), url, "{id}");
        }
        for bad in [
            "http://r.example/x",
            "https://r.example/x#f",
            "https://",
            "r.example",
        ] {
            assert!(metadata_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn document_round_trip_and_exact_resource_match() {
        let m = ResourceMetadata {
            resource: "https://tools.example.com/mcp".into(),
            authorization_servers: vec!["https://as.example.com".into()],
            scopes_supported: vec!["tools:read".into(), "tools:call".into()],
            bearer_methods_supported: vec!["header".into()],
            dpop_signing_alg_values_supported: vec!["ES256".into(), "EdDSA".into()],
            resource_name: Some("Example tool server".into()),
            ..ResourceMetadata::default()
        };
        let doc = resource_metadata_document(&m).unwrap();
        assert_eq!(
            doc,
            r#"{"authorization_servers":["https://as.example.com"],"bearer_methods_supported":["header"],"dpop_signing_alg_values_supported":["ES256","EdDSA"],"resource":"https://tools.example.com/mcp","resource_name":"Example tool server","scopes_supported":["tools:read","tools:call"]}"#
        );
        let l = Limits::DEFAULT;
        assert_eq!(
            parse_resource_metadata(&doc, "https://tools.example.com/mcp", &l).unwrap(),
            m
        );
        // Not identical: a prefix, a trailing slash, another origin.
        for other in [
            "https://tools.example.com",
            "https://tools.example.com/mcp/",
            "https://tools.example.org/mcp",
        ] {
            assert_eq!(
                parse_resource_metadata(&doc, other, &l).unwrap_err(),
                Error::ClaimMismatch("resource")
            );
        }
        assert_eq!(
            parse_resource_metadata(
                r#"{"resource":"https://a.example","dpop_signing_alg_values_supported":["none"]}"#,
                "https://a.example",
                &l
            )
            .unwrap_err(),
            Error::AlgorithmNotAllowed
        );
        assert_eq!(
            parse_resource_metadata(r#"{"scopes_supported":[]}"#, "https://a.example", &l)
                .unwrap_err(),
            Error::ClaimMissing("resource")
        );
    }
}
