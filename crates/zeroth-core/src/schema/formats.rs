//! The string formats Auth0's schemas name, with the rules Zeroth enforces for each.
//!
//! Auth0 does not publish its format checkers, so these are our own rules:
//! - `url`: absolute `http`/`https` URL with a host.
//! - `url-or-null`: `null` or a `url`.
//! - `callback-url`: non-empty absolute URL with a scheme (custom schemes allowed for native apps);
//!   `http(s)` ones need a host, which may use `*` wildcards in subdomain labels;
//!   `{placeholder}` segments (e.g. `{organization_name}`) are allowed anywhere.
//! - `url-with-placeholders`: like `callback-url` (origins, logout URLs).
//! - `absolute-uri-or-empty`: empty, or an absolute URI with a scheme.
//! - `absolute-https-uri-or-empty` / `absolute-https-uri-with-placeholders-or-empty`:
//!   empty, or an `https` URL with a host (placeholders allowed in the latter).
//! - `date-time`: RFC 3339.
//! - Ids (`organization-id`, `credential-id`, `client-id`, `connection-profile-id`,
//!   `user-attribute-profile-id`): non-empty, no whitespace, with the Auth0 prefix where known.
//! - Unknown formats pass, as in tv4.

use serde_json::Value;

/// Whether `value` satisfies `format`. Non-string values pass unless the format says otherwise:
/// the type check is the schema's job.
pub fn check(format: &str, value: &Value) -> bool {
    let s = match value {
        Value::String(s) => s.as_str(),
        Value::Null => return format != "url" && format != "callback-url",
        _ => return true,
    };
    match format {
        "url" => http_url(s, false),
        "url-or-null" => http_url(s, false),
        "callback-url" | "url-with-placeholders" => templated_absolute(s),
        "ec-initiate-login-uri-template-url" => https_url(s, true),
        "absolute-uri-or-empty" => s.is_empty() || absolute_uri(s),
        "absolute-https-uri-or-empty" | "strict-https-uri" => s.is_empty() || https_url(s, false),
        "absolute-https-uri-with-placeholders-or-empty" => s.is_empty() || https_url(s, true),
        "date-time" => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
        "organization-id" => prefixed_id(s, "org_"),
        "credential-id" => prefixed_id(s, "cred_"),
        "connection-profile-id" | "user-attribute-profile-id" | "client-id" => prefixed_id(s, ""),
        _ => true,
    }
}

/// Replaces `{placeholder}` runs and `*` wildcards with plain letters so `url` can parse the rest.
fn untemplate(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut in_placeholder = false;
    for c in s.chars() {
        match (c, in_placeholder) {
            ('{', false) => in_placeholder = true,
            ('}', true) => {
                in_placeholder = false;
                out.push('x');
            }
            ('{', true) | ('}', false) => return None,
            (_, true) => {}
            ('*', false) => out.push('w'),
            (c, false) => out.push(c),
        }
    }
    (!in_placeholder).then_some(out)
}

fn absolute_uri(s: &str) -> bool {
    url::Url::parse(s).is_ok()
}

fn http_url(s: &str, templated: bool) -> bool {
    let candidate = if templated {
        match untemplate(s) {
            Some(c) => c,
            None => return false,
        }
    } else {
        s.to_owned()
    };
    match url::Url::parse(&candidate) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

fn https_url(s: &str, templated: bool) -> bool {
    http_url(s, templated) && s.to_ascii_lowercase().starts_with("https://")
}

fn templated_absolute(s: &str) -> bool {
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return false;
    }
    // A wildcard belongs in a subdomain label of the host, never in the scheme.
    let scheme_end = s.find(':').unwrap_or(0);
    if s[..scheme_end].contains('*') {
        return false;
    }
    let Some(plain) = untemplate(s) else {
        return false;
    };
    match url::Url::parse(&plain) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {
            u.host_str().is_some_and(|h| !h.is_empty())
        }
        Ok(_) => true,
        Err(_) => false,
    }
}

fn prefixed_id(s: &str, prefix: &str) -> bool {
    s.len() > prefix.len()
        && s.starts_with(prefix)
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn callback_urls() {
        for ok in [
            "https://example.com/callback",
            "https://*.example.com/cb",
            "https://{organization_name}.example.com/cb",
            "http://localhost:3000",
            "com.example.app://callback",
        ] {
            assert!(check("callback-url", &json!(ok)), "{ok}");
        }
        for bad in [
            "",
            "not a url",
            "/relative",
            "https://exa mple.com",
            "http*://x.com",
        ] {
            assert!(!check("callback-url", &json!(bad)), "{bad}");
        }
    }

    #[test]
    fn empty_allowed_only_for_or_empty_formats() {
        assert!(check("absolute-uri-or-empty", &json!("")));
        assert!(check(
            "absolute-https-uri-with-placeholders-or-empty",
            &json!("")
        ));
        assert!(!check("url-with-placeholders", &json!("")));
        assert!(!check("url", &json!("")));
        assert!(!check(
            "absolute-https-uri-with-placeholders-or-empty",
            &json!("http://a.com")
        ));
        assert!(check(
            "absolute-https-uri-with-placeholders-or-empty",
            &json!("https://{tenant}.a.com/login")
        ));
    }

    #[test]
    fn misc_formats() {
        assert!(check("url-or-null", &Value::Null));
        assert!(check("date-time", &json!("2023-02-07T12:40:17.807Z")));
        assert!(!check("date-time", &json!("yesterday")));
        assert!(check("organization-id", &json!("org_abc123")));
        assert!(!check("organization-id", &json!("abc")));
        assert!(check("made-up-format", &json!("anything")));
    }
}
