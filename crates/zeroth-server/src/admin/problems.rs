//! A rejected form's problems, each placed next to the field whose property it names.

use zeroth_core::schema::{parse_payload_error, Problem};
use zeroth_core::Error;

#[derive(Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn none() -> Problems {
        Problems::default()
    }

    /// One problem on one field (checks the dashboard makes itself, such as JSON syntax).
    pub fn one(path: &str, message: impl Into<String>) -> Problems {
        Problems(vec![Problem::new(path, message)])
    }

    /// The core's answer, split into properties where it names them.
    pub fn from_error(e: &Error) -> Problems {
        let problems = match e {
            Error::InvalidBody(m) => parse_payload_error(m)
                .into_iter()
                .map(|p| match p.path.as_str() {
                    // Business rules are worded without a property; this one has an obvious home.
                    "" if p.message.starts_with("Invalid grant types") => {
                        Problem::new("grant_types", p.message)
                    }
                    _ => p,
                })
                .collect(),
            Error::Internal(_) => vec![Problem::new(
                "",
                "Something went wrong; see the server log.",
            )],
            other => vec![Problem::new("", other.to_string())],
        };
        Problems(problems)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Messages about `field` or anything inside it (`callbacks[2]`, `mobile.ios.team_id`).
    pub fn for_field(&self, field: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|p| belongs(&p.path, field))
            .map(|p| p.message.as_str())
            .collect()
    }

    /// Messages no field of this form shows, for the top of the form.
    pub fn general(&self, fields: &[&str]) -> Vec<&str> {
        self.0
            .iter()
            .filter(|p| !fields.iter().any(|f| belongs(&p.path, f)))
            .map(|p| p.message.as_str())
            .collect()
    }
}

fn belongs(path: &str, field: &str) -> bool {
    path == field
        || path
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_land_on_the_field_they_name() {
        let e = Error::InvalidBody(
            "Payload validation error: 'Object didn't pass validation for format callback-url: x' \
             on property callbacks[0]. (also) Payload validation error: 'Expected type object'."
                .into(),
        );
        let p = Problems::from_error(&e);
        assert_eq!(p.for_field("callbacks").len(), 1);
        assert!(p.for_field("callback").is_empty());
        assert_eq!(p.general(&["callbacks"]), vec!["Expected type object"]);
    }
}
