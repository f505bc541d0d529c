//! Every scope of the Management API, as the system resource server lists them.

/// (value, description) pairs, in the order the system API publishes them.
pub const MANAGEMENT_SCOPES: &[(&str, &str)] = &[
    ("create:actions", "Create Actions"),
    (
        "create:authentication_methods",
        "Create Authentication Methods",
    ),
    ("create:client_credentials", "Create Client Credentials"),
    ("create:client_grants", "Create Client Grants"),
    ("create:clients", "Create Clients"),
    ("create:connection_profiles", "Create Connection Profiles"),
    ("create:connections", "Create Connections"),
    ("create:connections_keys", "Create Connections Keys"),
    (
        "create:current_user_device_credentials",
        "Create Current User Device Credentials",
    ),
    ("create:custom_domains", "Create Custom Domains"),
    ("create:custom_signing_keys", "Create Custom Signing Keys"),
    (
        "create:directory_provisionings",
        "Create Directory Provisionings",
    ),
    ("create:email_provider", "Create Email Provider"),
    ("create:email_templates", "Create Email Templates"),
    ("create:encryption_keys", "Create Encryption Keys"),
    ("create:event_streams", "Create Event Streams"),
    ("create:flows", "Create Flows"),
    (
        "create:flows_vault_connections",
        "Create Flows Vault Connections",
    ),
    ("create:forms", "Create Forms"),
    (
        "create:guardian_enrollment_tickets",
        "Create Guardian Enrollment Tickets",
    ),
    ("create:hooks", "Create Hooks"),
    ("create:log_streams", "Create Log Streams"),
    ("create:network_acls", "Create Network Acls"),
    (
        "create:organization_client_grants",
        "Create Organization Client Grants",
    ),
    (
        "create:organization_connections",
        "Create Organization Connections",
    ),
    (
        "create:organization_discovery_domains",
        "Create Organization Discovery Domains",
    ),
    (
        "create:organization_invitations",
        "Create Organization Invitations",
    ),
    (
        "create:organization_member_roles",
        "Create Organization Member Roles",
    ),
    ("create:organization_members", "Create Organization Members"),
    ("create:organizations", "Create Organizations"),
    ("create:phone_providers", "Create Phone Providers"),
    ("create:phone_templates", "Create Phone Templates"),
    ("create:resource_servers", "Create Resource Servers"),
    ("create:role_members", "Create Role Members"),
    ("create:roles", "Create Roles"),
    ("create:rules", "Create Rules"),
    ("create:scim_config", "Create Scim Config"),
    ("create:scim_token", "Create Scim Token"),
    (
        "create:self_service_profiles",
        "Create Self Service Profiles",
    ),
    ("create:signing_keys", "Create Signing Keys"),
    ("create:sso_access_tickets", "Create Sso Access Tickets"),
    (
        "create:token_exchange_profiles",
        "Create Token Exchange Profiles",
    ),
    (
        "create:user_attribute_profiles",
        "Create User Attribute Profiles",
    ),
    ("create:user_tickets", "Create User Tickets"),
    ("create:users", "Create Users"),
    ("create:vdcs_templates", "Create Vdcs Templates"),
    ("delete:actions", "Delete Actions"),
    ("delete:anomaly_blocks", "Delete Anomaly Blocks"),
    (
        "delete:authentication_methods",
        "Delete Authentication Methods",
    ),
    ("delete:branding", "Delete Branding"),
    ("delete:client_credentials", "Delete Client Credentials"),
    ("delete:client_grants", "Delete Client Grants"),
    ("delete:clients", "Delete Clients"),
    ("delete:connection_profiles", "Delete Connection Profiles"),
    ("delete:connections", "Delete Connections"),
    ("delete:current_user", "Delete Current User"),
    (
        "delete:current_user_device_credentials",
        "Delete Current User Device Credentials",
    ),
    ("delete:custom_domains", "Delete Custom Domains"),
    ("delete:custom_signing_keys", "Delete Custom Signing Keys"),
    ("delete:device_credentials", "Delete Device Credentials"),
    (
        "delete:directory_provisionings",
        "Delete Directory Provisionings",
    ),
    ("delete:email_provider", "Delete Email Provider"),
    ("delete:encryption_keys", "Delete Encryption Keys"),
    ("delete:event_streams", "Delete Event Streams"),
    (
        "delete:federated_connections_tokens",
        "Delete Federated Connections Tokens",
    ),
    ("delete:flows", "Delete Flows"),
    ("delete:flows_executions", "Delete Flows Executions"),
    (
        "delete:flows_vault_connections",
        "Delete Flows Vault Connections",
    ),
    ("delete:forms", "Delete Forms"),
    ("delete:grants", "Delete Grants"),
    ("delete:groups", "Delete Groups"),
    ("delete:guardian_enrollments", "Delete Guardian Enrollments"),
    ("delete:hooks", "Delete Hooks"),
    ("delete:log_streams", "Delete Log Streams"),
    ("delete:network_acls", "Delete Network Acls"),
    (
        "delete:organization_client_grants",
        "Delete Organization Client Grants",
    ),
    (
        "delete:organization_connections",
        "Delete Organization Connections",
    ),
    (
        "delete:organization_discovery_domains",
        "Delete Organization Discovery Domains",
    ),
    (
        "delete:organization_invitations",
        "Delete Organization Invitations",
    ),
    (
        "delete:organization_member_roles",
        "Delete Organization Member Roles",
    ),
    ("delete:organization_members", "Delete Organization Members"),
    ("delete:organizations", "Delete Organizations"),
    ("delete:phone_providers", "Delete Phone Providers"),
    ("delete:phone_templates", "Delete Phone Templates"),
    ("delete:refresh_tokens", "Delete Refresh Tokens"),
    ("delete:resource_servers", "Delete Resource Servers"),
    ("delete:role_members", "Delete Role Members"),
    ("delete:roles", "Delete Roles"),
    ("delete:rules", "Delete Rules"),
    ("delete:rules_configs", "Delete Rules Configs"),
    ("delete:scim_config", "Delete Scim Config"),
    ("delete:scim_token", "Delete Scim Token"),
    (
        "delete:self_service_profiles",
        "Delete Self Service Profiles",
    ),
    ("delete:sessions", "Delete Sessions"),
    ("delete:sso_access_tickets", "Delete Sso Access Tickets"),
    (
        "delete:token_exchange_profiles",
        "Delete Token Exchange Profiles",
    ),
    (
        "delete:user_attribute_profiles",
        "Delete User Attribute Profiles",
    ),
    ("delete:users", "Delete Users"),
    ("delete:vdcs_templates", "Delete Vdcs Templates"),
    ("read:actions", "Read Actions"),
    ("read:anomaly_blocks", "Read Anomaly Blocks"),
    ("read:attack_protection", "Read Attack Protection"),
    ("read:authentication_methods", "Read Authentication Methods"),
    ("read:branding", "Read Branding"),
    ("read:client_credentials", "Read Client Credentials"),
    ("read:client_grants", "Read Client Grants"),
    ("read:client_keys", "Read Client Keys"),
    ("read:client_summary", "Read Client Summary"),
    ("read:clients", "Read Clients"),
    ("read:connection_profiles", "Read Connection Profiles"),
    ("read:connections", "Read Connections"),
    ("read:connections_keys", "Read Connections Keys"),
    ("read:current_user", "Read Current User"),
    ("read:custom_domains", "Read Custom Domains"),
    ("read:custom_signing_keys", "Read Custom Signing Keys"),
    ("read:device_credentials", "Read Device Credentials"),
    (
        "read:directory_provisionings",
        "Read Directory Provisionings",
    ),
    ("read:email_provider", "Read Email Provider"),
    ("read:email_templates", "Read Email Templates"),
    ("read:encryption_keys", "Read Encryption Keys"),
    ("read:event_deliveries", "Read Event Deliveries"),
    ("read:event_streams", "Read Event Streams"),
    ("read:events", "Read Events"),
    (
        "read:federated_connections_tokens",
        "Read Federated Connections Tokens",
    ),
    ("read:flows", "Read Flows"),
    ("read:flows_executions", "Read Flows Executions"),
    (
        "read:flows_vault_connections",
        "Read Flows Vault Connections",
    ),
    ("read:forms", "Read Forms"),
    ("read:grants", "Read Grants"),
    ("read:group_members", "Read Group Members"),
    ("read:groups", "Read Groups"),
    ("read:guardian_enrollments", "Read Guardian Enrollments"),
    ("read:guardian_factors", "Read Guardian Factors"),
    ("read:hooks", "Read Hooks"),
    ("read:log_streams", "Read Log Streams"),
    ("read:logs", "Read Logs"),
    ("read:logs_users", "Read Logs Users"),
    ("read:mfa_policies", "Read Mfa Policies"),
    ("read:network_acls", "Read Network Acls"),
    (
        "read:organization_client_grants",
        "Read Organization Client Grants",
    ),
    (
        "read:organization_connections",
        "Read Organization Connections",
    ),
    (
        "read:organization_discovery_domains",
        "Read Organization Discovery Domains",
    ),
    (
        "read:organization_invitations",
        "Read Organization Invitations",
    ),
    (
        "read:organization_member_roles",
        "Read Organization Member Roles",
    ),
    ("read:organization_members", "Read Organization Members"),
    ("read:organizations", "Read Organizations"),
    ("read:organizations_summary", "Read Organizations Summary"),
    ("read:phone_providers", "Read Phone Providers"),
    ("read:phone_templates", "Read Phone Templates"),
    ("read:prompts", "Read Prompts"),
    ("read:refresh_tokens", "Read Refresh Tokens"),
    ("read:resource_servers", "Read Resource Servers"),
    ("read:role_members", "Read Role Members"),
    ("read:roles", "Read Roles"),
    ("read:rules", "Read Rules"),
    ("read:rules_configs", "Read Rules Configs"),
    ("read:scim_config", "Read Scim Config"),
    ("read:scim_token", "Read Scim Token"),
    (
        "read:self_service_profile_custom_texts",
        "Read Self Service Profile Custom Texts",
    ),
    ("read:self_service_profiles", "Read Self Service Profiles"),
    ("read:sessions", "Read Sessions"),
    ("read:signing_keys", "Read Signing Keys"),
    ("read:stats", "Read Stats"),
    ("read:tenant_settings", "Read Tenant Settings"),
    (
        "read:token_exchange_profiles",
        "Read Token Exchange Profiles",
    ),
    (
        "read:user_attribute_profiles",
        "Read User Attribute Profiles",
    ),
    ("read:user_idp_tokens", "Read User Idp Tokens"),
    ("read:users", "Read Users"),
    ("read:vdcs_templates", "Read Vdcs Templates"),
    ("update:actions", "Update Actions"),
    ("update:attack_protection", "Update Attack Protection"),
    (
        "update:authentication_methods",
        "Update Authentication Methods",
    ),
    ("update:branding", "Update Branding"),
    ("update:client_credentials", "Update Client Credentials"),
    ("update:client_grants", "Update Client Grants"),
    ("update:client_keys", "Update Client Keys"),
    (
        "update:client_token_vault_privileged_access",
        "Update Client Token Vault Privileged Access",
    ),
    ("update:clients", "Update Clients"),
    ("update:connection_profiles", "Update Connection Profiles"),
    ("update:connections", "Update Connections"),
    ("update:connections_keys", "Update Connections Keys"),
    (
        "update:current_user_identities",
        "Update Current User Identities",
    ),
    (
        "update:current_user_metadata",
        "Update Current User Metadata",
    ),
    ("update:custom_domains", "Update Custom Domains"),
    ("update:custom_signing_keys", "Update Custom Signing Keys"),
    (
        "update:directory_provisionings",
        "Update Directory Provisionings",
    ),
    ("update:email_provider", "Update Email Provider"),
    ("update:email_templates", "Update Email Templates"),
    ("update:encryption_keys", "Update Encryption Keys"),
    ("update:event_deliveries", "Update Event Deliveries"),
    ("update:event_streams", "Update Event Streams"),
    ("update:flows", "Update Flows"),
    (
        "update:flows_vault_connections",
        "Update Flows Vault Connections",
    ),
    ("update:forms", "Update Forms"),
    ("update:guardian_factors", "Update Guardian Factors"),
    ("update:hooks", "Update Hooks"),
    ("update:log_streams", "Update Log Streams"),
    ("update:mfa_policies", "Update Mfa Policies"),
    ("update:network_acls", "Update Network Acls"),
    (
        "update:organization_connections",
        "Update Organization Connections",
    ),
    (
        "update:organization_discovery_domains",
        "Update Organization Discovery Domains",
    ),
    ("update:organizations", "Update Organizations"),
    ("update:phone_providers", "Update Phone Providers"),
    ("update:phone_templates", "Update Phone Templates"),
    ("update:prompts", "Update Prompts"),
    ("update:refresh_tokens", "Update Refresh Tokens"),
    ("update:resource_servers", "Update Resource Servers"),
    ("update:roles", "Update Roles"),
    ("update:rules", "Update Rules"),
    ("update:rules_configs", "Update Rules Configs"),
    ("update:scim_config", "Update Scim Config"),
    (
        "update:self_service_profile_custom_texts",
        "Update Self Service Profile Custom Texts",
    ),
    (
        "update:self_service_profiles",
        "Update Self Service Profiles",
    ),
    ("update:sessions", "Update Sessions"),
    ("update:signing_keys", "Update Signing Keys"),
    ("update:tenant_settings", "Update Tenant Settings"),
    (
        "update:token_exchange_profiles",
        "Update Token Exchange Profiles",
    ),
    (
        "update:user_attribute_profiles",
        "Update User Attribute Profiles",
    ),
    ("update:users", "Update Users"),
    ("update:users_app_metadata", "Update Users App Metadata"),
    ("update:vdcs_templates", "Update Vdcs Templates"),
];

/// Whether `scope` is one of the Management API's scopes.
pub fn is_management_scope(scope: &str) -> bool {
    MANAGEMENT_SCOPES.iter().any(|(s, _)| *s == scope)
}

/// The scopes a verified access token grants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Granted(std::sync::Arc<[String]>);

impl Granted {
    /// From a token's space-separated `scope` claim.
    pub fn from_claim(scope: &str) -> Self {
        Granted(scope.split_whitespace().map(str::to_string).collect())
    }

    pub fn has(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }

    pub fn any(&self, scopes: &[&str]) -> bool {
        scopes.iter().any(|s| self.has(s))
    }

    pub fn as_strs(&self) -> Vec<&str> {
        self.0.iter().map(String::as_str).collect()
    }

    /// 403 `insufficient_scope` unless one of `accepted` is granted, worded as Auth0 words it.
    pub fn require_any(&self, accepted: &[&str]) -> Result<(), crate::Error> {
        if self.any(accepted) {
            Ok(())
        } else {
            Err(crate::Error::InsufficientScope(format!(
                "Insufficient scope, expected any of: {}",
                accepted.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_any_names_every_accepted_scope() {
        let g = Granted::from_claim("read:clients create:clients");
        assert!(g.require_any(&["create:clients"]).is_ok());
        let err = g.require_any(&["delete:clients", "update:clients"]).err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("Insufficient scope, expected any of: delete:clients, update:clients".into())
        );
        assert_eq!(MANAGEMENT_SCOPES.len(), 221);
        assert!(is_management_scope("update:client_keys"));
        assert!(!is_management_scope("create:client_keys"));
    }
}
