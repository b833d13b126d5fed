// Type declarations for a2a-auth (Node and browser entry points share them).

/** Every stable error code (the same in Rust, WIT, JS and Python). */
export type ErrorCode =
  | 'access-denied' | 'agent-not-allowed' | 'alg-not-allowed' | 'attestation-rejected' | 'binding-mismatch' | 'certificate-rejected' | 'claim-invalid' | 'claim-mismatch' | 'claim-missing'
  | 'component-not-covered' | 'credential-duplicated' | 'credential-missing' | 'credential-revoked' | 'crit-unsupported' | 'delegation-not-allowed' | 'digest-mismatch' | 'duplicate-json-member' | 'insufficient-scope' | 'insufficient-user-authentication' | 'invalid-argument' | 'invalid-bundle' | 'invalid-component' | 'invalid-identifier' | 'invalid-key'
  | 'invalid-signature' | 'jwe-unsupported' | 'key-mismatch' | 'key-not-found'
  | 'limit-exceeded' | 'malformed-base64' | 'malformed-certificate' | 'malformed-http-signature' | 'malformed-json' | 'malformed-token' | 'misdirected-request' | 'no-matching-route' | 'replayed'
  | 'token-expired' | 'token-inactive' | 'token-issued-in-future' | 'token-not-yet-valid' | 'token-too-old'
  | 'typ-mismatch' | 'unknown-trust-domain' | 'untrusted-chain' | 'use-dpop-nonce';

/** JWS algorithm names accepted by this library. */
export type Algorithm = 'ES256' | 'ES384' | 'EdDSA' | 'Ed25519' | 'RS256' | 'PS256' | 'PS512' | 'HS256';

export type Jwk = Record<string, unknown>;
export type JwkSet = { keys: Jwk[] };

/** An a2a-auth rejection; match on `code`, never on the message. */
export class A2AAuthError extends Error {
  readonly name: 'A2AAuthError';
  readonly code: ErrorCode;
  readonly detail: string;
}

export class KeyPair {
  private constructor();
  static fromSeed(alg: Algorithm, seed: Uint8Array, options?: { kid?: string }): KeyPair;
  static fromJwk(jwk: Jwk | string, alg?: Algorithm): KeyPair;
  readonly alg: Algorithm;
  readonly publicJwk: Jwk;
  privateJwk(): Jwk;
  sign(message: Uint8Array | string): Uint8Array;
  free(): void;
}

export function generateKeyPair(alg: Algorithm, options?: { kid?: string }): KeyPair;
export function calculateJwkThumbprint(jwk: Jwk | string): string;
export function jwkThumbprint(jwk: Jwk | string): { canonical: string; thumbprint: string; thumbprintUri: string };
export function importJwk(jwk: Jwk | string): Jwk;
export function verifySignature(alg: Algorithm, jwk: Jwk | string, message: Uint8Array | string, signature: Uint8Array): true;

export interface VerifiedJws { alg: Algorithm; header: Record<string, unknown>; payload: Uint8Array; keyThumbprint: string }
export function verifyJws(token: string, keys: Jwk | JwkSet | string, options: { algorithms: Algorithm[] }): VerifiedJws;

export interface JwtOptions {
  /** Accepted algorithms (required: the verifier pins them, never the token). */
  algorithms: Algorithm[];
  /** Required explicit type, e.g. 'at+jwt'. Omit only for untyped JWTs. */
  typ?: string;
  issuer?: string;
  audience?: string;
  subject?: string;
  required?: string[];
  /** Clock skew in seconds (default 60). */
  leeway?: number;
  /** Maximum age in seconds since `iat`. */
  maxAge?: number;
  /** Unix seconds (default: Math.floor(Date.now() / 1000)). */
  now?: number;
}
export interface VerifiedJwt { header: Record<string, unknown>; claims: Record<string, unknown>; keyThumbprint: string }
export function verifyJwt(token: string, keys: Jwk | JwkSet | string, options: JwtOptions): VerifiedJwt;

export function signJws(header: Record<string, unknown> | null, payload: Uint8Array | string, keyPair: KeyPair): string;
export function signJwt(claims: Record<string, unknown>, keyPair: KeyPair, header?: Record<string, unknown>): string;

export function errorCodes(): ErrorCode[];
export function nowSeconds(): number;
export function randomBytes(n: number): Uint8Array;

/** Browser/bundler: load the WebAssembly module (a no-op in Node). */
export function init(input?: unknown): Promise<void>;
/** Synchronous initialisation from bytes or a compiled module. */
export function initSync(input: { module: BufferSource | WebAssembly.Module }): void;

export interface WorkloadId { id: string; scheme: 'spiffe' | 'wimse'; trustDomain: string; path: string; origin: string }
export function parseWorkloadId(id: string): WorkloadId;
export function parseSpiffeId(id: string): WorkloadId;
export function idMatches(pattern: string, id: string): boolean;
export interface BundleInfo {
  trustDomain: string; sequence: number | null; refreshHint: number;
  jwtKids: string[]; witKids: string[]; x509Thumbprints: string[]; skipped: number;
}
export function parseBundle(trustDomain: string, bundle: JwkSet | string): BundleInfo;
export function parseBundleMap(map: string): string[];
export interface VerifiedWit {
  subject: string; trustDomain: string; cnfJwk: Jwk; proofAlg: Algorithm; issuerKeyThumbprint: string;
  claims: Record<string, unknown>;
}
export function verifyWorkloadIdentityToken(token: string, trustStore: Record<string, unknown> | string,
  options?: { now?: number; maxLifetime?: number; profile?: 'wimse' | 'wit-svid' }): VerifiedWit;
export function issueWorkloadIdentityToken(issuerKey: KeyPair, options: { subject: string; cnfJwk: Jwk | string;
  lifetime?: number; jti?: string; issuer?: string; now?: number }): string;
/** A WIT issued after attestation. */
export interface IssuedWit { token: string; subject: string; issuedAt: number; expiresAt: number; renewAfter: number }
/** Identity-server side: issues a WIT when attestation evidence satisfies the issuance policy. */
export function issueAttestedWit(issuerKey: KeyPair, policy: Record<string, unknown> | string, evidence: string,
  cnfJwk: Jwk | string, options?: { jti?: string; now?: number }): IssuedWit;
/** When a credential valid from issuedAt to expiresAt should be renewed (its half-life). */
export function renewalTime(issuedAt: number, expiresAt: number): number;
export interface VerifiedJwtSvid { subject: string; trustDomain: string; issuerKeyThumbprint: string; claims: Record<string, unknown> }
export function verifyJwtSvid(token: string, trustStore: Record<string, unknown> | string, audience: string,
  options?: { now?: number }): VerifiedJwtSvid;

/** A verified X.509-SVID leaf. */
export interface VerifiedX509Svid {
  subject: string; trustDomain: string; notAfter: number; spkiSha256: string; leafSha256: string; pathLength: number;
}
/** Verifies an X.509-SVID given as PEM text (leaf first, then intermediates). */
export function verifyX509Svid(chain: string, trustStore: Record<string, unknown> | string,
  options?: { now?: number }): VerifiedX509Svid;

// ---- Proof of possession ----

/** Header fields: [name, value] pairs (keeps repeats), an object of string | string[], or fetch Headers. */
export type HeaderInput = Array<[string, string]> | Record<string, string | string[] | undefined> | Headers;
/** An HTTP request as received. */
export interface ProofRequest { method: string; target: string; headers: HeaderInput }
/** Pairs from Node's flat req.rawHeaders. */
export function pairsFromRaw(rawHeaders: string[]): Array<[string, string]>;

/** A bounded (sender, jti) replay cache. */
export class ReplayCache {
  constructor(capacity?: number, secret?: Uint8Array);
  checkAndInsert(sender: string, jti: string, expiresAt: number, now?: number): boolean;
  readonly size: number;
  readonly evictedLive: number;
  free(): void;
}

export interface WptConfig {
  wire: 'wpt-01' | 'wpt-02'; authorities: string[]; audienceAliases?: string[]; understoodOth?: string[];
  maxLifetime?: number; leeway?: number; maxWitLifetime?: number; witProfile?: 'wimse' | 'wit-svid';
}
export interface VerifiedWpt {
  subject: string; trustDomain: string; audience: string; jti: string; expiresAt: number; proofAlg: Algorithm;
  cnfThumbprint: string; bound: string[]; replayCacheEvictedLive: boolean; claims: Record<string, unknown>;
}
export function createWpt(key: KeyPair, options: { wit: string; audience: string; lifetime?: number; jti?: string;
  accessToken?: string; txnToken?: string; otherTokens?: HeaderInput; now?: number }): string;
export function verifyWpt(request: ProofRequest, trustStore: Record<string, unknown> | string, config: WptConfig | string,
  options?: { now?: number; replayCache?: ReplayCache }): VerifiedWpt;

export interface DpopConfig {
  origin: string; algorithms?: Algorithm[]; maxAge?: number; maxFuture?: number; nonceSecret?: string; nonceStep?: number;
}
export interface VerifiedDpopProof {
  jkt: string; jti: string; issuedAt: number; accessTokenBound: boolean; replayCacheEvictedLive: boolean; claims: Record<string, unknown>;
}
export function createDpopProof(key: KeyPair, options: { method: string; uri: string; accessToken?: string; nonce?: string;
  jti?: string; now?: number }): string;
export function verifyDpopProof(request: ProofRequest, config: DpopConfig | string,
  options?: { expectedJkt?: string; now?: number; replayCache?: ReplayCache }): VerifiedDpopProof;
export function dpopNonce(config: DpopConfig | string, options?: { now?: number }): string;

/** How to answer a failed proof check. */
export interface Challenge { status: number; wwwAuthenticate: string | null; dpopNonce: string | null }
export function wptChallenge(errorOrCode: A2AAuthError | ErrorCode, wire: 'wpt-01' | 'wpt-02'): Challenge;
export function dpopChallenge(errorOrCode: A2AAuthError | ErrorCode, config: DpopConfig | string,
  options?: { now?: number; description?: string }): Challenge;
export function normalizeHttpUri(uri: string): string;

// ---- HTTP Message Signatures ----

/** A request or a response (with the request it answers, for ;req components). */
export type HttpMessage =
  | { method: string; targetUri: string; headers: HeaderInput; trailers?: HeaderInput }
  | { status: number; headers: HeaderInput; trailers?: HeaderInput; request?: { method: string; targetUri: string; headers: HeaderInput } };
export type HttpSigAlgorithm = 'rsa-pss-sha512' | 'rsa-v1_5-sha256' | 'hmac-sha256' | 'ecdsa-p256-sha256' | 'ecdsa-p384-sha384' | 'ed25519';
export interface HttpVerifyPolicy {
  label?: string; tag?: string; requiredComponents?: string[]; requiredParams?: string[]; forbiddenParams?: string[];
  maxAge?: number; leeway?: number; algorithms?: HttpSigAlgorithm[]; requireDigestForBody?: boolean;
  fieldTypes?: Record<string, 'item' | 'list' | 'dictionary'>;
}
export interface VerifiedHttpSignature {
  label: string; components: string[]; keyid: string | null; tag: string | null; nonce: string | null;
  created: number | null; expires: number | null; digestChecked: boolean;
}
export function httpSign(message: HttpMessage, options: { label?: string; components: string[];
  params?: Array<[string, string | number | true]>; key: KeyPair }): { signatureInput: string; signature: string; base: string };
export function httpSignatureBase(message: HttpMessage, signatureInput: string): string;
export function httpVerify(message: HttpMessage, options: { body?: Uint8Array | string; policy?: HttpVerifyPolicy;
  keys: Array<{ keyid?: string; alg: HttpSigAlgorithm; jwk: Jwk }>; now?: number; replayCache?: ReplayCache }): VerifiedHttpSignature;
export function contentDigest(body: Uint8Array | string, algorithms?: Array<'sha-256' | 'sha-512'>): string;
export function verifyContentDigest(field: string, body: Uint8Array | string): void;

export interface WimseConfig { audiences: string[]; maxAge?: number; maxLifetime?: number; leeway?: number; maxWitLifetime?: number; witProfile?: 'wimse' | 'wit-svid' }
export interface WimseSignature { contentDigest: string | null; signatureInput: string; signature: string }
export interface VerifiedWimse { subject: string; trustDomain: string; signature: VerifiedHttpSignature; signResponse: boolean }
export function signWimseRequest(request: HttpMessage, key: KeyPair, options: { body?: Uint8Array | string; audience: string;
  lifetime?: number; nonce?: string; version?: 'draft-06' | 'draft-07'; signResponse?: boolean; now?: number }): WimseSignature;
export function signWimseResponse(response: HttpMessage, key: KeyPair, options: { body?: Uint8Array | string; requestNonce: string;
  lifetime?: number; nonce?: string; version?: 'draft-06' | 'draft-07'; now?: number }): WimseSignature;
export function verifyWimseRequest(request: HttpMessage, trustStore: Record<string, unknown> | string, config: WimseConfig | string,
  options?: { body?: Uint8Array | string; now?: number; replayCache?: ReplayCache }): VerifiedWimse;
export function verifyWimseResponse(response: HttpMessage, trustStore: Record<string, unknown> | string, config: WimseConfig | string,
  options: { body?: Uint8Array | string; requestNonce: string; now?: number }): VerifiedWimse;

// ---- The paved path ----

/** A request for Verifier.authenticate / Signer.sign. `targetUri` is absolute, built from your own origin. */
export interface GateRequest { method: string; targetUri: string; headers?: HeaderInput; body?: Uint8Array | string; mtlsPeer?: string }
export type CredentialKind = 'wpt' | 'http-signature' | 'mtls' | 'dpop' | 'bearer';
export interface Principal {
  agent: string | null; trustDomain: string | null; method: CredentialKind; credentials: CredentialKind[];
  clientId: string | null; subject: string | null; issuer: string | null; act: Record<string, unknown> | null;
  actors: Array<{ subject: string; issuer: string | null }>; transaction: TransactionContext | null;
  scopes: string[]; authorizationDetails: Array<Record<string, unknown>>; tokenHashes: Array<[string, string]>;
  expiresAt: number | null; route: string; audit: Record<string, unknown>;
}
export interface Denial {
  status: number; wwwAuthenticate: string[]; dpopNonce: string | null; code: ErrorCode; detail: string;
  /** The security event that caused the denial. */
  event: { type: string; jti: string; iss: string } | null;
  audit: DecisionRecord;
}
/** The token-free decision record (schema v1, docs/decision-records.md). */
export interface DecisionRecord {
  v: number; time: number; decision: 'allow' | 'deny'; status: number | null; error: ErrorCode | null; method: string;
  origin: string | null; path: string | null; route: string | null; credentials: string[]; agent: string | null;
  wit_issuer_key: string | null; user: string | null; client_id: string | null; issuer: string | null;
  token_issuer_key: string | null; actors: string[]; scopes: string[]; authorization_details_types: string[];
  acr: string | null; auth_time: number | null; txn: string | null; token_hashes: { kind: string; sha256: string }[];
  event: { type: string; jti: string; iss: string } | null; pdp_decision: boolean | null;
  [extra: string]: unknown;
}
/** What applying a Security Event Token did. */
export interface AppliedEvent {
  issuer: string; jti: string; events: string[]; effects: ('revoke' | 'claims' | 'acr')[];
  subject: Record<string, unknown>; state: string | null; duplicate: boolean; dropped: number; token_hash: string;
}
export type Decision = { allow: true; principal: Principal } | { allow: false; denial: Denial };
export class Verifier {
  constructor(policy: Record<string, unknown> | string, options?: { secret?: Uint8Array });
  authenticate(request: GateRequest, options?: { now?: number }): Decision;
  due(now?: number): string[];
  resourceMetadata(): { url: string; path: string; document: string };
  enforce(principal: Principal, decision: Record<string, unknown> | string): { allow: true } | { allow: false; denial: Denial };
  ingest(url: string, body: string | undefined, options?: { maxAge?: number; now?: number }): void;
  refreshKeys(options?: { fetch?: typeof fetch; now?: number }): Promise<void>;
  applyEvent(set: string, options?: { now?: number }): AppliedEvent;
  receivePush(body: string, options?: { now?: number }): { status: number; body: string | null; applied: AppliedEvent | null };
  receivePoll(body: string | Record<string, unknown>, options?: { maxEvents?: number; now?: number }):
    { nextRequest: string; applied: AppliedEvent[]; refused: { jti: string; code: ErrorCode }[]; moreAvailable: boolean };
  pollEvents(endpoint: string, options?: { authorization?: string; fetch?: typeof fetch; maxEvents?: number; rounds?: number; now?: number }): Promise<AppliedEvent[]>;
  free(): void;
}
export interface SetConfig {
  issuer: string; jwks: Record<string, unknown>; audience: string; algorithms?: string[];
  critical_subject_members?: string[]; leeway?: number;
}
export interface VerifiedSet {
  issuer: string; jti: string; issued_at: number; time_of_event: number | null; txn: string | null;
  subject: Record<string, unknown>; events: Record<string, Record<string, unknown>>; event_types: string[];
  token_hash: string; key_thumbprint: string;
}
export function verifySet(set: string, config: SetConfig | string, options?: { now?: number }): VerifiedSet;
export function issueSet(claims: Record<string, unknown> | string, key: KeyPair): string;
export function ssfConfigurationUrl(issuer: string): string;
export function parseTransmitterMetadata(text: string | Record<string, unknown>, expectedIssuer: string): Record<string, unknown>;
export function parseStreamConfig(text: string | Record<string, unknown>, expectedIss: string, expectedAud: string): Record<string, unknown>;
export function createStreamRequest(options: { eventsRequested?: string[]; pushEndpoint?: string; authorizationHeader?: string; description?: string }): string;
export function verificationRequest(streamId: string, state?: string): string;
export interface ComplianceReport {
  records: number; checked: number; not_reevaluated: number; malformed: { line: number; code: ErrorCode }[];
  findings: { line: number; recorded: string; recorded_error: string | null; now: string; error: string | null; reason: string }[];
}
export function checkRecords(policy: Record<string, unknown> | string, records: string | (string | DecisionRecord)[]): ComplianceReport;
export interface SignerOptions {
  wit?: string; proof?: 'wpt-01' | 'wpt-02' | 'http-signature-06' | 'http-signature-07';
  accessToken?: string; tokenType?: 'DPoP' | 'Bearer'; lifetime?: number;
}
export class Signer {
  constructor(options: SignerOptions, keys?: { workloadKey?: KeyPair; dpopKey?: KeyPair });
  sign(request: GateRequest, options?: { now?: number; entropy?: Uint8Array }): Array<[string, string]>;
  observeResponse(targetUri: string, status: number, headers: HeaderInput | Headers): boolean;
  setAccessToken(token: string): void;
  setWorkloadIdentityToken(wit: string): void;
  free(): void;
}
/** fetch that signs each request and retries once on use_dpop_nonce. */
export function signedFetch(signer: Signer, options?: { fetch?: typeof fetch }): typeof fetch;
export function requestFromFetch(request: Request, options?: { origin?: string; withBody?: boolean; mtlsPeer?: string }): Promise<GateRequest>;
export function requestFromNode(req: { method?: string; url?: string; rawHeaders: string[] }, options: { origin: string; body?: Uint8Array | string; mtlsPeer?: string }): GateRequest;
export function writeDenial(res: { writeHead(status: number, headers: Record<string, string | string[]>): unknown; end(body: string): unknown }, denial: Denial): void;

// ---- OAuth resource-server parts ----
export interface AccessTokenInfo {
  issuer: string; subject: string; clientId: string; scopes: string[]; authorizationDetails: Array<Record<string, unknown>>;
  cnfJkt: string | null; acr: string | null; authTime: number | null; expiresAt: number; tokenHash: string; claims: Record<string, unknown>;
}
export interface AccessTokenConfig { issuers: Array<{ issuer: string; jwks: JwkSet | Jwk; algorithms?: Algorithm[] }>; resource: string; leeway?: number }
export function verifyAccessToken(token: string, config: AccessTokenConfig | string, options?: { now?: number }): AccessTokenInfo;
export function checkIntrospectionResponse(response: Record<string, unknown> | string, token: string,
  config: { issuer: string; resource: string; leeway?: number } | string, options?: { now?: number }): AccessTokenInfo;
export function verifyIntrospectionJwt(jwt: string, token: string, config: { issuer: string; jwks: JwkSet | Jwk; algorithms?: Algorithm[];
  client_id: string; resource: string; leeway?: number } | string, options?: { now?: number }): AccessTokenInfo;
export function metadataUrl(resource: string): string;
export function resourceMetadataDocument(description: Record<string, unknown> | string): string;
export function parseResourceMetadata(text: string | Record<string, unknown>, expectedResource: string): Record<string, unknown>;
export function serveMetadata(verifier: Verifier, req: { method?: string; url?: string },
  res: { writeHead(status: number, headers: Record<string, string>): unknown; end(body: string): unknown }): boolean;

// ---- RFC 8693 token exchange ----
export const TokenTypes: { accessToken: string; jwt: string; txnToken: string; idJag: string };
export function tokenExchangeRequest(request: { subjectToken: string; subjectTokenType: string; actorToken?: string; actorTokenType?: string;
  resource?: string[]; audience?: string[]; scope?: string[]; requestedTokenType?: string }): string;
export interface TokenExchangeResponse { accessToken: string; issuedTokenType: string; tokenType: string; expiresIn: number | null;
  scopes: string[] | null; refreshToken: string | null }
export function parseTokenExchangeResponse(text: string | Record<string, unknown>,
  options?: { requestedTokenType?: string; expectedTokenType?: string }): TokenExchangeResponse;
export function mayAct(subjectClaims: Record<string, unknown> | string, actor: { subject: string; issuer?: string }): boolean;

// ---- Transaction tokens ----
export interface TransactionContext {
  txn: string; subject: string; scope: string; requestingWorkload: string; tctx: Record<string, unknown> | null;
  rctx: Record<string, unknown> | null; issuer: string | null; expiresAt: number; tokenHash: string;
}
export function issueTxnToken(key: KeyPair, params: { audience: string; txn: string; subject: string; scope: string;
  requestingWorkload: string; tctx?: Record<string, unknown>; rctx?: Record<string, unknown>; issuer?: string; lifetime?: number; now?: number }): string;
export function verifyTxnToken(token: string, config: { trust_domain: string; jwks: JwkSet | Jwk; algorithms?: Algorithm[]; issuer?: string;
  leeway?: number; max_lifetime?: number } | string, options?: { now?: number }): TransactionContext;

// ---- Client authentication ----
export function createClientAssertion(key: KeyPair, options: { clientId: string; issuer: string; jti?: string; lifetime?: number; now?: number }): string;
export function verifyClientAssertion(assertion: string, config: { client_id: string; issuer: string; jwks: JwkSet | Jwk; algorithms?: Algorithm[];
  leeway?: number; max_lifetime?: number } | string, options?: { now?: number; replayCache?: ReplayCache }): { clientId: string; jti: string; expiresAt: number };
export function verifySpiffeClientAssertion(assertion: string, trustStore: Record<string, unknown> | string, issuer: string, options?: { now?: number }): string;
export function clientCredentialsRequest(request: { clientId: string; scope?: string[]; resource?: string[]; clientAssertion?: string; jwtSvid?: string }): string;

// ---- AuthZEN PEP ----
export interface AuthzenEntity { type: string; id: string; properties?: Record<string, unknown> }
export interface AuthzenDecision { decision: boolean; context: Record<string, unknown> | null }
export function principalSubject(principal: Principal): AuthzenEntity;
export function authzenEvaluationRequest(request: { subject: AuthzenEntity; action: { name: string; properties?: Record<string, unknown> };
  resource: AuthzenEntity; context?: Record<string, unknown> } | string): string;
export function authzenEvaluationsRequest(request: Record<string, unknown> | string): string;
export function authzenParseDecision(text: string | Record<string, unknown>): AuthzenDecision;
export function authzenParseEvaluations(text: string | Record<string, unknown>, count: number,
  semantic?: 'execute_all' | 'deny_on_first_deny' | 'permit_on_first_permit'): AuthzenDecision[];
export function authzenMetadataUrl(pdp: string): string;
export function authzenParseMetadata(text: string | Record<string, unknown>, expectedPdp: string): Record<string, unknown>;

// ---- A2A Agent Cards and client metadata ----
export interface RequiredScheme { name: string; kind: 'oauth2' | 'openIdConnect' | 'http' | 'apiKey' | 'mtls'; scopes: string[]; details: Record<string, string> }
export function agentCardRequirements(card: Record<string, unknown> | string, options?: { skill?: string }): RequiredScheme[][];
export function checkClientMetadataDocument(text: string | Record<string, unknown>, url: string): Record<string, unknown>;
export function signAgentCard(card: Record<string, unknown> | string, key: KeyPair): Record<string, unknown>;
export function verifyAgentCard(card: Record<string, unknown> | string, keys: JwkSet | Jwk, options: { algorithms: Algorithm[] }): { kid: string; alg: string };

// ---- MCP / OAuth discovery ----
export function parseWwwAuthenticate(values: string | string[] | Headers): Array<{ scheme: string; token68: string | null; params: Record<string, string> }>;
export function resourceMetadataCandidates(serverUrl: string, options?: { resourceMetadata?: string }): string[];
export function authorizationServerMetadataCandidates(issuer: string): string[];
export function parseAuthorizationServerMetadata(text: string | Record<string, unknown>, expectedIssuer: string): Record<string, unknown>;
export function createClientAttestationPop(key: KeyPair, options: { wit: string; issuer: string; jti?: string; challenge?: string; now?: number }): string;
export function verifyWitClientAttestation(wit: string, pop: string, trustStore: Record<string, unknown> | string, issuer: string,
  options?: { challenge?: string; now?: number; replayCache?: ReplayCache }): string;
export function clientMetadataDocument(description: Record<string, unknown> | string): string;
export function planAuthorization(input: { resourceMetadata: string | Record<string, unknown>; expectedResource: string;
  serverMetadata: string | Record<string, unknown>; issuer: string; challengeScope?: string; preregistered?: boolean }): {
  resource: string; issuer: string; tokenEndpoint: string; authorizationEndpoint: string | null; scope: string | null;
  registration: 'preregistered' | 'client_id_metadata_document' | 'dynamic_registration' | 'none'; dpop: boolean };
