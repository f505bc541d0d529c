//! A posted form as name/value pairs (names repeat for checkboxes) and ways to read it.

use serde_json::Value;

pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(bytes: &[u8]) -> Option<Form> {
        serde_urlencoded::from_bytes(bytes).ok().map(Form)
    }

    /// The first value of `name`, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of `name`, in order (checkbox groups, repeated rows).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A checkbox: browsers send it only when ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// A trimmed text field; empty stays empty.
    pub fn text(&self, name: &str) -> Value {
        Value::String(self.get(name).trim().to_string())
    }

    /// A list typed as Auth0's dashboard takes it: one per line or comma-separated.
    pub fn list(&self, name: &str) -> Value {
        Value::Array(
            split_list(self.get(name))
                .into_iter()
                .map(Value::String)
                .collect(),
        )
    }

    /// A whole number; anything else is passed on as typed so the core's validation
    /// names the field and the problem, exactly as the API would.
    pub fn number(&self, name: &str) -> Option<Value> {
        let raw = self.get(name).trim();
        if raw.is_empty() {
            return None;
        }
        Some(match raw.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(raw.to_string()),
        })
    }
}

pub fn split_list(raw: &str) -> Vec<String> {
    raw.split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_lines_and_commas_and_drop_blanks() {
        assert_eq!(
            split_list(" https://a/cb ,\r\nhttps://b/cb\n\n,"),
            vec!["https://a/cb", "https://b/cb"]
        );
    }

    #[test]
    fn numbers_that_do_not_parse_reach_validation_as_text() {
        let f = Form::parse(b"a=36000&b=ten&c=").unwrap();
        assert_eq!(f.number("a"), Some(Value::from(36000)));
        assert_eq!(f.number("b"), Some(Value::from("ten")));
        assert_eq!(f.number("c"), None);
    }
}
