//! The tenant: its domain, issuer and the Management API audience.

/// Where the tenant lives. `domain` is host[:port] as clients reach it.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub domain: String,
    /// Other host[:port] spellings that reach this tenant (`127.0.0.1:8443` beside
    /// `localhost:8443`): accepted as Management API audiences.
    pub aliases: Vec<String>,
}

impl Tenant {
    pub fn new(domain: impl Into<String>, aliases: Vec<String>) -> Self {
        Tenant {
            domain: domain.into(),
            aliases,
        }
    }

    /// `https://{domain}/`, the `iss` of every token.
    pub fn issuer(&self) -> String {
        format!("https://{}/", self.domain)
    }

    /// `https://{domain}/api/v2/`, the Management API's identifier.
    pub fn management_audience(&self) -> String {
        format!("https://{}/api/v2/", self.domain)
    }

    /// Whether `aud` names this tenant's Management API under any of its spellings.
    pub fn is_management_audience(&self, aud: &str) -> bool {
        std::iter::once(&self.domain)
            .chain(self.aliases.iter())
            .any(|d| aud == format!("https://{d}/api/v2/"))
    }

    /// The tenant name Auth0 puts in `tenant`: the first DNS label of the domain.
    pub fn name(&self) -> String {
        let host = self.domain.split(':').next().unwrap_or(&self.domain);
        host.split('.').next().unwrap_or(host).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_and_names() {
        let t = Tenant::new("localhost:8443", vec!["127.0.0.1:8443".into()]);
        assert_eq!(t.issuer(), "https://localhost:8443/");
        assert!(t.is_management_audience("https://localhost:8443/api/v2/"));
        assert!(t.is_management_audience("https://127.0.0.1:8443/api/v2/"));
        assert!(!t.is_management_audience("https://localhost:8443/api/v2"));
        assert!(!t.is_management_audience("https://evil:8443/api/v2/"));
        assert_eq!(t.name(), "localhost");
        assert_eq!(Tenant::new("acme.eu.auth0.com", vec![]).name(), "acme");
    }
}
