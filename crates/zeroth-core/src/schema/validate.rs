//! The validator: walks a value against a [`Schema`] and reports every problem, tv4-worded.

use super::formats;
use super::model::{Additional, Schema, Type};
use super::Problem;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

/// Every problem of `value` against `schema`, in document order; empty means valid.
pub fn validate(schema: &Schema, value: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    check(schema, value, "", &mut out);
    out
}

/// Whether `value` satisfies `schema` (used for `oneOf`/`anyOf` branches).
pub fn is_valid(schema: &Schema, value: &Value) -> bool {
    validate(schema, value).is_empty()
}

fn push(out: &mut Vec<Problem>, path: &str, message: String) {
    out.push(Problem {
        path: path.to_owned(),
        message,
    });
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// tv4 reports JavaScript's `typeof`-like names: integers are "number" too.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn type_matches(t: Type, value: &Value) -> bool {
    match t {
        Type::Null => value.is_null(),
        Type::Boolean => value.is_boolean(),
        Type::Integer => is_integer(value),
        Type::Number => value.is_number(),
        Type::String => value.is_string(),
        Type::Array => value.is_array(),
        Type::Object => value.is_object(),
    }
}

/// Numbers printed the way JavaScript would (`5`, not `5.0`).
pub fn js_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn check(schema: &Schema, value: &Value, path: &str, out: &mut Vec<Problem>) {
    // tv4 stops at a type or enum failure: nothing further is meaningful for that node.
    if !schema.types.is_empty() && !schema.types.iter().any(|t| type_matches(*t, value)) {
        let expected: Vec<&str> = schema.types.iter().map(|t| t.name()).collect();
        let msg = format!(
            "Invalid type: {} (expected {})",
            type_name(value),
            expected.join("/")
        );
        push(out, path, msg);
        return;
    }
    if let Some(values) = &schema.enum_values {
        if !values.contains(value) {
            push(out, path, format!("No enum match for: {value}"));
            return;
        }
    }
    match value {
        Value::Number(n) => check_number(schema, n.as_f64().unwrap_or(0.0), path, out),
        Value::String(s) => check_string(schema, s, path, out),
        Value::Array(items) => check_array(schema, items, path, out),
        Value::Object(map) => check_object(schema, map, path, out),
        _ => {}
    }
    check_combinators(schema, value, path, out);
    if let Some(format) = schema.format {
        if !formats::check(format, value) {
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            push(
                out,
                path,
                format!("Object didn't pass validation for format {format}: {shown}"),
            );
        }
    }
}

fn check_number(schema: &Schema, n: f64, path: &str, out: &mut Vec<Problem>) {
    if let Some(min) = schema.minimum {
        if n < min {
            let msg = format!(
                "Value {} is less than minimum {}",
                js_number(n),
                js_number(min)
            );
            push(out, path, msg);
        }
    }
    if let Some(max) = schema.maximum {
        if n > max {
            let msg = format!(
                "Value {} is greater than maximum {}",
                js_number(n),
                js_number(max)
            );
            push(out, path, msg);
        }
    }
}

fn check_string(schema: &Schema, s: &str, path: &str, out: &mut Vec<Problem>) {
    // JavaScript lengths count UTF-16 code units; so does Auth0's validator.
    let len = s.encode_utf16().count();
    if let Some(min) = schema.min_length {
        if len < min {
            push(
                out,
                path,
                format!("String is too short ({len} chars), minimum {min}"),
            );
        }
    }
    if let Some(max) = schema.max_length {
        if len > max {
            push(
                out,
                path,
                format!("String is too long ({len} chars), maximum {max}"),
            );
        }
    }
    if let Some(pattern) = schema.pattern {
        if !matches(pattern, s) {
            push(
                out,
                path,
                format!("String does not match pattern {pattern}: {s}"),
            );
        }
    }
}

/// Whether `s` matches `pattern`, compiled once per process: compiling the pattern on
/// every check cost more than validating the rest of a full client body. Patterns are
/// the schemas' own constants, so this holds one entry per pattern, never more.
fn matches(pattern: &'static str, s: &str) -> bool {
    type Compiled = HashMap<&'static str, Option<regex::Regex>>;
    static COMPILED: LazyLock<RwLock<Compiled>> = LazyLock::new(RwLock::default);
    let found = COMPILED.read().ok().and_then(|m| {
        m.get(pattern)
            .map(|re| re.as_ref().is_some_and(|re| re.is_match(s)))
    });
    if let Some(found) = found {
        return found;
    }
    // A pattern the regex engine rejects matches nothing (the schema's author sees it
    // fail in tests); it is remembered as such.
    let re = regex::Regex::new(pattern).ok();
    let found = re.as_ref().is_some_and(|re| re.is_match(s));
    if let Ok(mut m) = COMPILED.write() {
        m.insert(pattern, re);
    }
    found
}

fn check_array(schema: &Schema, items: &[Value], path: &str, out: &mut Vec<Problem>) {
    let len = items.len();
    if let Some(min) = schema.min_items {
        if len < min {
            push(
                out,
                path,
                format!("Array is too short ({len}), minimum {min}"),
            );
        }
    }
    if let Some(max) = schema.max_items {
        if len > max {
            push(
                out,
                path,
                format!("Array is too long ({len}), maximum {max}"),
            );
        }
    }
    if schema.unique_items {
        if let Some((i, j)) = first_duplicate(items) {
            push(
                out,
                path,
                format!("Array items are not unique (indexes {i} and {j})"),
            );
        }
    }
    if let Some(item_schema) = &schema.items {
        for (i, item) in items.iter().enumerate() {
            check(item_schema, item, &format!("{path}[{i}]"), out);
        }
    }
}

fn first_duplicate(items: &[Value]) -> Option<(usize, usize)> {
    for (i, a) in items.iter().enumerate() {
        for (j, b) in items.iter().enumerate().skip(i + 1) {
            if a == b {
                return Some((i, j));
            }
        }
    }
    None
}

fn check_object(schema: &Schema, map: &Map<String, Value>, path: &str, out: &mut Vec<Problem>) {
    let count = map.len();
    if let Some(min) = schema.min_properties {
        if count < min {
            push(
                out,
                path,
                format!("Too few properties defined ({count}), minimum {min}"),
            );
        }
    }
    if let Some(max) = schema.max_properties {
        if count > max {
            push(
                out,
                path,
                format!("Too many properties defined ({count}), maximum {max}"),
            );
        }
    }
    for name in &schema.required {
        if !map.contains_key(*name) {
            push(out, path, format!("Missing required property: {name}"));
        }
    }
    if schema.additional == Additional::Deny {
        let extra: Vec<&str> = map
            .keys()
            .filter(|k| schema.property(k).is_none())
            .map(String::as_str)
            .collect();
        if !extra.is_empty() {
            // Auth0 lists every extra key of one object in a single message.
            push(
                out,
                path,
                format!("Additional properties not allowed: {}", extra.join(",")),
            );
        }
    }
    for (key, child) in map {
        let child_at = child_path(path, key);
        match (schema.property(key), &schema.additional) {
            (Some(s), _) => check(s, child, &child_at, out),
            (None, Additional::Schema(s)) => check(s, child, &child_at, out),
            (None, _) => {}
        }
    }
}

fn check_combinators(schema: &Schema, value: &Value, path: &str, out: &mut Vec<Problem>) {
    if !schema.one_of.is_empty() {
        let passing: Vec<usize> = schema
            .one_of
            .iter()
            .enumerate()
            .filter(|(_, s)| is_valid(s, value))
            .map(|(i, _)| i)
            .collect();
        match passing.as_slice() {
            [] => push(
                out,
                path,
                "Data does not match any schemas from \"oneOf\"".to_owned(),
            ),
            [_] => {}
            [a, b, ..] => push(
                out,
                path,
                format!("Data is valid against more than one schema from \"oneOf\": indices {a} and {b}"),
            ),
        }
    }
    if !schema.any_of.is_empty() && !schema.any_of.iter().any(|s| is_valid(s, value)) {
        push(
            out,
            path,
            "Data does not match any schemas from \"anyOf\"".to_owned(),
        );
    }
}
