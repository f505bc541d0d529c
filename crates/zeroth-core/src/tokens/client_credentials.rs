//! The client_credentials grant as a pure function: from a verified client and its
//! grant to the access token's claims.

use serde_json::Map;

use super::{Audience, Claims};

/// Everything the token endpoint knows once the client is authenticated and its grant
/// for `audience` found.
#[derive(Debug, Clone)]
pub struct ClientCredentials<'a> {
    /// `https://{domain}/`.
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub audience: &'a str,
    /// The grant's `scope` list (borrowed: the Management API's grant has 221).
    pub granted: &'a [&'a str],
    /// The request's space-separated `scope`, if any.
    pub requested: Option<&'a str>,
    pub lifetime_secs: i64,
    /// Seconds since the epoch.
    pub now: i64,
}

/// The scopes to put in the token, space-separated: all granted when none are
/// requested, else the requested ones in grant order. `Err` lists requested scopes the
/// grant lacks.
pub fn narrow_scopes(granted: &[&str], requested: Option<&str>) -> Result<String, Vec<String>> {
    let Some(req) = requested.filter(|r| !r.trim().is_empty()) else {
        return Ok(granted.join(" "));
    };
    let wanted: Vec<&str> = req.split_whitespace().collect();
    let mut missing: Vec<String> = Vec::new();
    for w in &wanted {
        if !granted.contains(w) && !missing.iter().any(|m| m == w) {
            missing.push((*w).to_string());
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let kept: Vec<&str> = granted
        .iter()
        .copied()
        .filter(|g| wanted.contains(g))
        .collect();
    Ok(kept.join(" "))
}

/// The claims Auth0 puts in a client-credentials access token. `Err` lists the
/// requested scopes the grant does not cover.
pub fn client_credentials_claims(req: &ClientCredentials<'_>) -> Result<Claims, Vec<String>> {
    let scopes = narrow_scopes(req.granted, req.requested)?;
    Ok(Claims {
        iss: req.issuer.to_string(),
        sub: format!("{}@clients", req.client_id),
        aud: Audience::One(req.audience.to_string()),
        iat: Some(req.now),
        exp: req.now + req.lifetime_secs,
        nbf: None,
        scope: (!scopes.is_empty()).then_some(scopes),
        gty: Some("client-credentials".into()),
        azp: Some(req.client_id.to_string()),
        extra: Map::new(),
        granted_memo: Default::default(),
    })
}
