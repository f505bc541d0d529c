//! The building blocks every operation of the document shares: parameters, bodies, answers.

use serde_json::{json, Map, Value};

/// One documented operation: where, which method, and its OpenAPI Operation object.
pub struct Op {
    pub path: &'static str,
    pub method: &'static str,
    pub doc: Value,
}

/// A Management API operation: tagged, secured by any of `scopes`, answering `ok`
/// and the Auth0 envelope for `errors` (plus the 401/403/429 every call can meet).
pub fn mgmt(
    path: &'static str,
    method: &'static str,
    tag: &str,
    summary: &str,
    scopes: &[&str],
) -> OpBuilder {
    let mut b = OpBuilder::new(path, method, tag, summary);
    let scopes: Vec<&str> = scopes.to_vec();
    b.op.insert(
        "security".into(),
        json!([{"bearerAuth": scopes}, {"oAuth2ClientCredentials": scopes}]),
    );
    b.op.insert(
        "x-zeroth-scopes".into(),
        json!({"any_of": scopes, "note": "any one of these scopes is enough"}),
    );
    // A malformed Authorization header or query is a 400; no or a bad token a 401;
    // a token without the scope a 403; a flood a 429.
    b.errors(&[400, 401, 403, 429])
}

/// An operation anyone may call (discovery, the token endpoint, probes).
pub fn public(path: &'static str, method: &'static str, tag: &str, summary: &str) -> OpBuilder {
    let mut b = OpBuilder::new(path, method, tag, summary);
    b.op.insert("security".into(), json!([]));
    b
}

pub struct OpBuilder {
    path: &'static str,
    method: &'static str,
    op: Map<String, Value>,
    params: Vec<Value>,
    responses: Map<String, Value>,
}

impl OpBuilder {
    fn new(path: &'static str, method: &'static str, tag: &str, summary: &str) -> Self {
        let mut op = Map::new();
        op.insert("tags".into(), json!([tag]));
        op.insert("summary".into(), json!(summary));
        op.insert(
            "operationId".into(),
            json!(format!("{method}_{}", path.trim_start_matches('/'))
                .replace(['/', '.', '-'], "_")
                .replace(['{', '}'], "")),
        );
        let mut b = OpBuilder {
            path,
            method,
            op,
            params: Vec::new(),
            responses: Map::new(),
        };
        for name in path_params(path) {
            b.params.push(json!({
                "name": name, "in": "path", "required": true,
                "schema": {"type": "string", "minLength": 1}
            }));
        }
        b
    }

    /// A query parameter; Auth0's parameters are all optional.
    pub fn query(mut self, name: &str, schema: Value, description: &str) -> Self {
        self.params.push(json!({
            "name": name, "in": "query", "required": false,
            "description": description, "schema": schema
        }));
        self
    }

    /// The JSON body the validator checks, from its own schema; bodies may also be sent
    /// as a form, which the Management API reads the same way.
    pub fn body(mut self, schema: Value, required: bool) -> Self {
        self.op.insert(
            "requestBody".into(),
            json!({"required": required, "content": {"application/json": {"schema": schema}}}),
        );
        // Any body may be too large or of a type we do not read, or not parse.
        self.errors(&[400, 413, 415])
    }

    pub fn raw_body(mut self, body: Value) -> Self {
        self.op.insert("requestBody".into(), body);
        self
    }

    /// A JSON answer with this status.
    pub fn ok(mut self, status: u16, description: &str, schema: Value) -> Self {
        self.responses.insert(
            status.to_string(),
            json!({"description": description, "content": {"application/json": {"schema": schema}}}),
        );
        self
    }

    /// `204 No Content`.
    pub fn no_content(mut self, description: &str) -> Self {
        self.responses
            .insert("204".into(), json!({"description": description}));
        self
    }

    /// Auth0 error envelopes for these statuses.
    pub fn errors(mut self, statuses: &[u16]) -> Self {
        for s in statuses {
            self.responses.insert(
                s.to_string(),
                json!({"$ref": format!("#/components/responses/E{s}")}),
            );
        }
        self
    }

    /// RFC 6749 error answers (the token endpoint) for these statuses.
    pub fn oauth_errors(mut self, statuses: &[u16]) -> Self {
        for s in statuses {
            self.responses.insert(
                s.to_string(),
                json!({"description": "OAuth 2.0 error", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/OAuthError"}}}}),
            );
        }
        self
    }

    pub fn build(mut self) -> Op {
        if !self.params.is_empty() {
            self.op
                .insert("parameters".into(), Value::Array(self.params));
        }
        self.op
            .insert("responses".into(), Value::Object(self.responses));
        Op {
            path: self.path,
            method: self.method,
            doc: Value::Object(self.op),
        }
    }
}

/// The `{name}` segments of a path template.
pub fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

/// Query parameter schemas used by every list.
pub fn int(min: i64, max: i64) -> Value {
    json!({"type": "integer", "minimum": min, "maximum": max})
}

pub fn boolean() -> Value {
    json!({"type": "boolean"})
}

pub fn string() -> Value {
    json!({"type": "string"})
}

/// A resource's list answer: a bare array, or an object holding it under `key` with
/// totals (`include_totals`) or a checkpoint (`from`/`take`).
pub fn list_of(key: &str, item: Value) -> Value {
    json!({"oneOf": [
        {"type": "array", "items": item},
        {"type": "object", "required": [key], "properties": {
            key: {"type": "array", "items": item},
            "total": {"type": "integer"},
            "start": {"type": "integer"},
            "limit": {"type": "integer"},
            "length": {"type": "integer"},
            "next": {"type": "string"}
        }}
    ]})
}

/// The offset and checkpoint paging parameters of a list.
pub fn paging(b: OpBuilder, per_page_min: i64, checkpoint: bool) -> OpBuilder {
    let b = b
        .query("page", int(0, i64::from(u32::MAX)), "Page index (0-based).")
        .query("per_page", int(per_page_min, 100), "Items per page.")
        .query("include_totals", boolean(), "Wrap the page with totals.");
    if checkpoint {
        b.query("from", string(), "Checkpoint id to start after.")
            .query("take", int(1, 100), "Items per checkpoint page.")
    } else {
        b
    }
}
