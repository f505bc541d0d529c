//! Typed Management API objects; unknown fields round-trip through `extra`.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

/// An application (`/api/v2/clients`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Client {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_first_party: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_origins: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_origins: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_logout_urls: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<Map<String, Value>>,
    /// Every other field, kept so a read-modify-write loses nothing.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One field of a PATCH: left alone, cleared with an explicit `null`, or set.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Patch<T> {
    #[default]
    Keep,
    Null,
    Set(T),
}

impl<T> Patch<T> {
    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }
}

impl<T> From<T> for Patch<T> {
    fn from(v: T) -> Self {
        Patch::Set(v)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // Never reached: `Keep` fields are skipped by `skip_serializing_if`.
            Patch::Keep | Patch::Null => s.serialize_none(),
            Patch::Set(v) => v.serialize(s),
        }
    }
}

macro_rules! client_update {
    ($($(#[$doc:meta])* $field:ident: $ty:ty,)*) => {
        /// The body of `PATCH /api/v2/clients/{id}`: only the fields that are not `Keep`
        /// are sent; `Patch::Null` sends an explicit `null`.
        #[derive(Debug, Clone, Default, PartialEq, Serialize)]
        pub struct ClientUpdate {
            $($(#[$doc])* #[serde(skip_serializing_if = "Patch::is_keep")] pub $field: Patch<$ty>,)*
            /// Fields this struct does not name, sent as given.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }
    };
}

client_update! {
    name: String,
    description: String,
    client_secret: String,
    app_type: String,
    logo_uri: String,
    is_first_party: bool,
    oidc_conformant: bool,
    callbacks: Vec<String>,
    allowed_origins: Vec<String>,
    web_origins: Vec<String>,
    client_aliases: Vec<String>,
    allowed_clients: Vec<String>,
    allowed_logout_urls: Vec<String>,
    grant_types: Vec<String>,
    token_endpoint_auth_method: String,
    jwt_configuration: Value,
    encryption_key: Value,
    sso: bool,
    sso_disabled: bool,
    cross_origin_authentication: bool,
    cross_origin_loc: String,
    custom_login_page_on: bool,
    custom_login_page: String,
    custom_login_page_preview: String,
    form_template: String,
    initiate_login_uri: String,
    addons: Value,
    client_metadata: Map<String, Value>,
    mobile: Value,
    native_social_login: Value,
    refresh_token: Value,
    oidc_logout: Value,
    organization_usage: String,
    organization_require_behavior: String,
    client_authentication_methods: Value,
    require_pushed_authorization_requests: bool,
    require_proof_of_possession: bool,
    signed_request_object: Value,
    compliance_level: String,
    is_token_endpoint_ip_header_trusted: bool,
    default_organization: Value,
}

/// An API (`/api/v2/resource-servers`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceServer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<Scope>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_alg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_lifetime: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_system: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A permission an API defines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Permission for an application to get tokens for an API (`/api/v2/client-grants`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientGrant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub client_id: String,
    pub audience: String,
    #[serde(default)]
    pub scope: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tenant signing key (`/api/v2/keys/signing`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SigningKey {
    pub kid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of a list with totals (`include_totals=true`).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub start: u64,
    pub limit: u64,
    pub total: u64,
}

/// One page of a checkpoint list (`from`/`take`): `next` is where the following page
/// starts, absent on the last.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// A tenant log event (`/api/v2/logs`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogEvent {
    #[serde(default)]
    pub log_id: String,
    #[serde(default)]
    pub date: String,
    /// Auth0's event code, e.g. `sapi` (a Management API change succeeded).
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_update_sends_only_what_it_names_and_null_clears() {
        let update = ClientUpdate {
            name: Patch::Set("n".into()),
            description: Patch::Null,
            callbacks: Patch::Set(vec![]),
            ..ClientUpdate::default()
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({"name": "n", "description": null, "callbacks": []})
        );
        assert_eq!(
            serde_json::to_value(ClientUpdate::default()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let v =
            json!({"client_id": "c", "name": "a", "refresh_token": {"rotation_type": "rotating"}});
        let c: Client = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(c.extra["refresh_token"]["rotation_type"], "rotating");
        assert_eq!(serde_json::to_value(&c).unwrap(), v);
    }
}
