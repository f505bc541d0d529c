//! Query strings checked the way Auth0 checks them: typed, ranged, no unknown keys.

use zeroth_core::schema::{query_error, Problem};
use zeroth_core::Error;

/// A query string being read parameter by parameter; problems are collected so
/// that one 400 names all of them.
pub struct Query {
    pairs: Vec<(String, String)>,
    read: Vec<String>,
    problems: Vec<Problem>,
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        let pairs: Vec<(String, String)> = raw
            .map(|r| serde_urlencoded::from_str(r).unwrap_or_default())
            .unwrap_or_default();
        Query {
            pairs,
            read: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, name: &str, message: String) {
        self.problems.push(Problem {
            path: name.to_string(),
            message,
        });
    }

    /// The raw value; a parameter given twice is a type error as in Auth0.
    pub fn string(&mut self, name: &str) -> Option<String> {
        self.read.push(name.to_string());
        let mut values = self
            .pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone());
        let first = values.next()?;
        if values.next().is_some() {
            self.problem(name, "Invalid type: array (expected string)".into());
            return None;
        }
        Some(first)
    }

    pub fn bool(&mut self, name: &str) -> Option<bool> {
        match self.string(name)?.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.problem(name, "Invalid type: string (expected boolean)".into());
                None
            }
        }
    }

    pub fn int(&mut self, name: &str, min: i64, max: i64) -> Option<i64> {
        let raw = self.string(name)?;
        let Ok(n) = raw.parse::<i64>() else {
            self.problem(name, "Invalid type: string (expected integer)".into());
            return None;
        };
        if n < min {
            self.problem(name, format!("Value {n} is less than minimum {min}"));
            None
        } else if n > max {
            self.problem(name, format!("Value {n} is greater than maximum {max}"));
            None
        } else {
            Some(n)
        }
    }

    /// Records a problem found by a caller-specific check.
    pub fn reject(&mut self, name: &str, message: impl Into<String>) {
        self.problem(name, message.into());
    }

    /// Fails with every problem, unknown parameters first, or succeeds.
    pub fn finish(mut self) -> Result<(), Error> {
        let mut unknown: Vec<&str> = Vec::new();
        for (k, _) in &self.pairs {
            if !self.read.iter().any(|r| r == k) && !unknown.contains(&k.as_str()) {
                unknown.push(k);
            }
        }
        if !unknown.is_empty() {
            let message = format!("Additional properties not allowed: {}", unknown.join(","));
            self.problems.insert(
                0,
                Problem {
                    path: String::new(),
                    message,
                },
            );
        }
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidQuery(query_error(&self.problems)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem() {
        let mut q = Query::parse(Some("per_page=500&include_totals=yes&bogus=1"));
        assert_eq!(q.int("per_page", 0, 100), None);
        assert_eq!(q.bool("include_totals"), None);
        let msg = q.finish().err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            msg,
            "Query validation error: 'Additional properties not allowed: bogus'. (also) \
             Query validation error: 'Value 500 is greater than maximum 100' on property per_page. \
             (also) Query validation error: 'Invalid type: string (expected boolean)' on property \
             include_totals."
        );
    }

    #[test]
    fn reads_valid_values() {
        let mut q = Query::parse(Some("page=2&include_fields=false"));
        assert_eq!(q.int("page", 0, i64::MAX), Some(2));
        assert_eq!(q.bool("include_fields"), Some(false));
        assert_eq!(q.string("fields"), None);
        assert!(q.finish().is_ok());
    }
}
