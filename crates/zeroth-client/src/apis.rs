//! `/api/v2/resource-servers`, `/api/v2/client-grants` and `/api/v2/keys/signing`.

use futures::Stream;
use reqwest::Method;
use serde_json::{json, Value};

use crate::client::ManagementClient;
use crate::clients::enc;
use crate::error::Result;
use crate::models::{ClientGrant, Page, ResourceServer, SigningKey};

impl ManagementClient {
    pub async fn resource_servers_page(
        &self,
        page: u64,
        per_page: u64,
    ) -> Result<Page<ResourceServer>> {
        self.page(
            "/api/v2/resource-servers",
            "resource_servers",
            page,
            per_page,
            &[],
        )
        .await
    }

    pub fn resource_servers_all(&self) -> impl Stream<Item = Result<ResourceServer>> + '_ {
        self.all("/api/v2/resource-servers", "resource_servers")
    }

    /// By `id` or by `identifier` (Auth0 accepts either).
    pub async fn resource_server(&self, id: &str) -> Result<ResourceServer> {
        let path = format!("/api/v2/resource-servers/{}", enc(id));
        self.call(Method::GET, &path, &[], None).await
    }

    pub async fn create_resource_server(&self, rs: &ResourceServer) -> Result<ResourceServer> {
        let body = serde_json::to_value(rs)?;
        self.call(Method::POST, "/api/v2/resource-servers", &[], Some(&body))
            .await
    }

    /// `changes` is the PATCH body as Auth0 documents it.
    pub async fn update_resource_server(
        &self,
        id: &str,
        changes: &Value,
    ) -> Result<ResourceServer> {
        let path = format!("/api/v2/resource-servers/{}", enc(id));
        self.call(Method::PATCH, &path, &[], Some(changes)).await
    }

    pub async fn delete_resource_server(&self, id: &str) -> Result<()> {
        let path = format!("/api/v2/resource-servers/{}", enc(id));
        self.request(Method::DELETE, &path, None).await.map(drop)
    }

    /// Grants, optionally only those of one application and/or one audience.
    pub async fn client_grants(
        &self,
        client_id: Option<&str>,
        audience: Option<&str>,
    ) -> Result<Vec<ClientGrant>> {
        let mut q = Vec::new();
        if let Some(c) = client_id {
            q.push(("client_id", c.to_owned()));
        }
        if let Some(a) = audience {
            q.push(("audience", a.to_owned()));
        }
        self.call(Method::GET, "/api/v2/client-grants", &q, None)
            .await
    }

    pub async fn create_client_grant(
        &self,
        client_id: &str,
        audience: &str,
        scope: &[String],
    ) -> Result<ClientGrant> {
        let body = json!({"client_id": client_id, "audience": audience, "scope": scope});
        self.call(Method::POST, "/api/v2/client-grants", &[], Some(&body))
            .await
    }

    pub async fn update_client_grant(&self, id: &str, scope: &[String]) -> Result<ClientGrant> {
        let path = format!("/api/v2/client-grants/{}", enc(id));
        let body = json!({ "scope": scope });
        self.call(Method::PATCH, &path, &[], Some(&body)).await
    }

    pub async fn delete_client_grant(&self, id: &str) -> Result<()> {
        let path = format!("/api/v2/client-grants/{}", enc(id));
        self.request(Method::DELETE, &path, None).await.map(drop)
    }

    pub async fn signing_keys(&self) -> Result<Vec<SigningKey>> {
        self.call(Method::GET, "/api/v2/keys/signing", &[], None)
            .await
    }

    /// Makes the next key current and creates a new next key; answers `{kid, cert}`.
    pub async fn rotate_signing_key(&self) -> Result<Value> {
        self.call(Method::POST, "/api/v2/keys/signing/rotate", &[], None)
            .await
    }

    pub async fn revoke_signing_key(&self, kid: &str) -> Result<Value> {
        let path = format!("/api/v2/keys/signing/{}/revoke", enc(kid));
        self.call(Method::PUT, &path, &[], None).await
    }
}
