//! The demo's development authorization server (played by the demo, natively): user sign-in,
//! token exchange (RFC 8693) with a WIT as the actor token and DPoP binding (RFC 9449 §5),
//! Txn-Tokens from the same token endpoint, its JWKS, and SSF pushes of CAEP events (RFC 8935).
//!
//! Its rules, kept small and strict: a subject token must be one it issued and still valid; the
//! actor must present a WIT that verifies under the identity server's bundle, and the subject
//! token's `may_act` must name that actor (RFC 8693 §4.4); scopes only narrow; every token it
//! issues is DPoP-bound to the key of the proof sent to the token endpoint.

use std::sync::Mutex;

use a2a_auth::crypto::{AlgorithmSet, KeyPair};
use a2a_auth::identity::{TrustStore, WitValidation, verify_workload_identity_token};
use a2a_auth::jose::{JwtValidation, sign_jws, verify_jwt};
use a2a_auth::oauth::{
    ACCESS_TOKEN_TYPE, Actor, TXN_TOKEN_TYPE, TxnTokenParams, issue_txn_token, may_act,
};
use a2a_auth::proof::{DpopConfig, HttpRequest, ReplayCache, verify_dpop_proof};
use a2a_auth::{Limits, UnixTime};
use serde_json::{Map, Value, json};

use crate::common::{Fallible, fresh_key, now, public_jwk, random, random_id};

/// The logical issuer (what tokens say); the server itself listens on 127.0.0.1.
pub const ISSUER: &str = "https://as.demo";
const EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// A resource the server issues tokens for, and who may act on the tokens it gets.
pub struct Resource {
    pub uri: String,
    pub may_act: Option<String>,
}

pub struct AuthServer {
    pub token_key: KeyPair,
    pub txn_key: KeyPair,
    pub ssf_key: KeyPair,
    trust: TrustStore,
    trust_domain: String,
    resources: Vec<Resource>,
    replay: ReplayCache,
    /// One line per issued token, for the transcript.
    pub log: Vec<String>,
}

fn err(status: u16, error: &str, description: &str) -> (u16, Value) {
    (
        status,
        json!({"error": error, "error_description": description}),
    )
}

impl AuthServer {
    pub fn new(bundle_map: &str, trust_domain: &str, resources: Vec<Resource>) -> Fallible<Self> {
        let alg = a2a_auth::crypto::Algorithm::Es256;
        Ok(Self {
            token_key: fresh_key(alg)?,
            txn_key: fresh_key(alg)?,
            ssf_key: fresh_key(alg)?,
            trust: TrustStore::from_bundle_map(bundle_map, &Limits::DEFAULT)
                .map_err(|e| format!("bundle: {}", e.code()))?,
            trust_domain: trust_domain.to_owned(),
            resources,
            replay: ReplayCache::new(10_000, &random::<32>()?).map_err(|e| e.code().to_owned())?,
            log: Vec::new(),
        })
    }

    /// The JWKS with the token, Txn-Token and SET signing keys.
    pub fn jwks(&self) -> Value {
        json!({"keys": [public_jwk(&self.token_key), public_jwk(&self.txn_key), public_jwk(&self.ssf_key)]})
    }

    /// An RFC 9068 access token this server signs.
    pub fn sign_token(&self, claims: &Value) -> Fallible<String> {
        let mut header = Map::new();
        header.insert("typ".into(), "at+jwt".into());
        sign_jws(&header, claims.to_string().as_bytes(), &self.token_key)
            .map_err(|e| e.code().to_owned())
    }

    /// The user signs in and delegates to `client` (a workload), DPoP-bound to `jkt`.
    pub fn sign_in(
        &self,
        user: &str,
        client: &str,
        audience: &str,
        scope: &str,
        jkt: &str,
    ) -> Fallible<String> {
        let t = now();
        self.sign_token(&json!({
            "iss": ISSUER, "sub": user, "aud": audience, "client_id": client, "scope": scope,
            "iat": t, "exp": t.saturating_add(600), "jti": random_id()?, "auth_time": t,
            "acr": "urn:demo:mfa", "may_act": {"sub": client}, "cnf": {"jkt": jkt},
        }))
    }

    /// A CAEP session-revoked SET for `user`'s sessions at this issuer, for `audience`.
    pub fn session_revoked(&self, user: &str, audience: &str) -> Fallible<(String, String)> {
        let (t, jti) = (now(), random_id()?);
        let claims = json!({
            "iss": ISSUER, "iat": t, "jti": jti, "aud": audience,
            "sub_id": {"format": "iss_sub", "iss": ISSUER, "sub": user},
            "events": {format!("{}session-revoked", a2a_auth::events::CAEP): {
                "event_timestamp": t, "initiating_entity": "user",
                "reason_user": {"en": "alice signed out everywhere"}}},
        });
        let obj = claims.as_object().ok_or("claims")?;
        let set =
            a2a_auth::events::issue_set(obj, &self.ssf_key).map_err(|e| e.code().to_owned())?;
        Ok((set, jti))
    }

    /// `POST /token`.
    pub fn token(&mut self, headers: &[(String, String)], body: &[u8]) -> (u16, Value) {
        match self.token_inner(headers, body) {
            Ok(v) => (200, v),
            Err(e) => e,
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the token endpoint's checks, in order"
    )]
    fn token_inner(
        &mut self,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Value, (u16, Value)> {
        let at = UnixTime(now());
        let mut form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
        let one = |name: &str, form: &[(String, String)]| -> Result<Option<String>, (u16, Value)> {
            let mut it = form.iter().filter(|(n, _)| n == name);
            let first = it.next().map(|(_, v)| v.clone());
            if it.next().is_some() {
                return Err(err(400, "invalid_request", "a parameter appears twice"));
            }
            Ok(first)
        };
        if one("grant_type", &form)?.as_deref() != Some(EXCHANGE) {
            return Err(err(400, "unsupported_grant_type", "token exchange only"));
        }
        // DPoP at the token endpoint binds what is issued.
        let http = HttpRequest {
            method: "POST",
            target: "/token",
            headers,
        };
        let mut config = DpopConfig::new(ISSUER);
        config.algorithms = AlgorithmSet::ASYMMETRIC;
        let proof = verify_dpop_proof(&http, None, &config, at, Some(&mut self.replay))
            .map_err(|e| err(400, "invalid_dpop_proof", e.code()))?;
        // The actor: a workload with a WIT from the trust domain.
        let actor_token = one("actor_token", &form)?
            .ok_or_else(|| err(400, "invalid_request", "actor_token (the WIT) is required"))?;
        let wit = verify_workload_identity_token(
            &actor_token,
            &self.trust,
            &WitValidation::default(),
            at,
        )
        .map_err(|e| err(400, "invalid_grant", e.code()))?;
        let actor = wit.subject.as_str().to_owned();
        // The subject token: one of ours, still valid.
        let subject_token = one("subject_token", &form)?
            .ok_or_else(|| err(400, "invalid_request", "subject_token is required"))?;
        let keys = a2a_auth::crypto::JwkSet::from_keys(vec![self.token_key.public_jwk().clone()]);
        let rules =
            JwtValidation::new(AlgorithmSet::ASYMMETRIC, Some("at+jwt")).with_issuer(ISSUER);
        let subject = verify_jwt(&subject_token, &keys, &rules, at)
            .map_err(|e| err(400, "invalid_grant", e.code()))?
            .claims;
        let s = |name: &str| {
            subject
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        form.retain(|(n, _)| n != "subject_token" && n != "actor_token");
        if one("requested_token_type", &form)?.as_deref() == Some(TXN_TOKEN_TYPE) {
            // The transaction token service: the requesting workload is the actor.
            if one("audience", &form)?.as_deref() != Some(self.trust_domain.as_str()) {
                return Err(err(
                    400,
                    "invalid_target",
                    "a Txn-Token's audience is the trust domain",
                ));
            }
            let txn = format!(
                "txn-{}",
                random_id().map_err(|m| err(500, "server_error", &m))?
            );
            let mut tctx = Map::new();
            tctx.insert("purpose".into(), json!("find a calendar slot"));
            let token = issue_txn_token(
                &self.txn_key,
                &TxnTokenParams {
                    audience: self.trust_domain.clone(),
                    txn: txn.clone(),
                    subject: s("sub"),
                    scope: s("scope"),
                    requesting_workload: actor.clone(),
                    tctx: Some(tctx),
                    rctx: None,
                    issuer: None,
                    issued_at: at,
                    lifetime: 120,
                },
            )
            .map_err(|e| err(500, "server_error", e.code()))?;
            self.log.push(format!(
                "Txn-Token {txn} for {} requested by {actor}",
                s("sub")
            ));
            return Ok(
                json!({"access_token": token, "issued_token_type": TXN_TOKEN_TYPE, "token_type": "N_A", "expires_in": 120}),
            );
        }
        let actor_ref = Actor {
            subject: actor.clone(),
            issuer: None,
        };
        if !may_act(&subject, &actor_ref).unwrap_or(false) {
            return Err(err(
                400,
                "invalid_grant",
                "the subject token's may_act does not name this actor",
            ));
        }
        let resource = one("resource", &form)?
            .ok_or_else(|| err(400, "invalid_target", "resource is required"))?;
        let target = self
            .resources
            .iter()
            .find(|r| r.uri == resource)
            .ok_or_else(|| err(400, "invalid_target", "unknown resource"))?;
        // Scopes only narrow.
        let held: Vec<String> = s("scope")
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect();
        let asked = one("scope", &form)?.unwrap_or_else(|| held.join(" "));
        if asked.split(' ').any(|x| !held.iter().any(|h| h == x)) {
            return Err(err(
                400,
                "invalid_scope",
                "a requested scope is not in the subject token",
            ));
        }
        let mut act = Map::new();
        act.insert("sub".into(), json!(actor));
        if let Some(prior) = subject.get("act") {
            act.insert("act".into(), prior.clone());
        }
        let t = at.as_secs();
        let mut claims = json!({
            "iss": ISSUER, "sub": s("sub"), "aud": target.uri, "client_id": actor, "scope": asked,
            "iat": t, "exp": t.saturating_add(300), "jti": random_id().map_err(|m| err(500, "server_error", &m))?,
            "act": act, "cnf": {"jkt": proof.jkt},
        });
        if let Some(o) = claims.as_object_mut() {
            for name in ["auth_time", "acr"] {
                if let Some(v) = subject.get(name) {
                    o.insert(name.into(), v.clone());
                }
            }
            if let Some(next) = &target.may_act {
                o.insert("may_act".into(), json!({"sub": next}));
            }
        }
        let token = self
            .sign_token(&claims)
            .map_err(|m| err(500, "server_error", &m))?;
        self.log.push(format!(
            "token for {} on behalf of {}, act {}",
            target.uri,
            s("sub"),
            crate::demo::chain_text(&claims)
        ));
        Ok(
            json!({"access_token": token, "issued_token_type": ACCESS_TOKEN_TYPE, "token_type": "DPoP", "expires_in": 300, "scope": asked}),
        )
    }
}

/// Serves the authorization server on 127.0.0.1 until the server is unblocked.
pub fn serve_arc(server: &tiny_http::Server, state: &Mutex<AuthServer>) {
    for mut request in server.incoming_requests() {
        let r = crate::common::receive(&mut request, 64 * 1024);
        let body = r.body.unwrap_or_default();
        let (status, reply) = match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/jwks") => (200, state.lock().map(|s| s.jwks()).unwrap_or(Value::Null)),
            ("POST", "/token") => match state.lock() {
                Ok(mut s) => s.token(&r.headers, &body),
                Err(_) => err(500, "server_error", "state"),
            },
            _ => err(404, "not_found", "GET /jwks, POST /token"),
        };
        crate::common::respond_json(request, status, &reply);
    }
}
