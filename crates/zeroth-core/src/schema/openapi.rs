//! Renders a [`Schema`] as an OpenAPI 3.1 (JSON Schema 2020-12) object for our openapi.json.

use super::model::{Additional, Schema};
use serde_json::{json, Map, Value};

/// The JSON Schema form of `schema`; keys appear in a stable, OAS-like order.
pub fn to_json_schema(schema: &Schema) -> Value {
    let mut out = Map::new();
    match schema.types.as_slice() {
        [] => {}
        [one] => {
            out.insert("type".into(), json!(one.name()));
        }
        many => {
            let names: Vec<&str> = many.iter().map(|t| t.name()).collect();
            out.insert("type".into(), json!(names));
        }
    }
    if let Some(d) = schema.description {
        out.insert("description".into(), json!(d));
    }
    if let Some(v) = &schema.default {
        out.insert("default".into(), v.clone());
    }
    if let Some(values) = &schema.enum_values {
        out.insert("enum".into(), Value::Array(values.clone()));
    }
    put_usize(&mut out, "minLength", schema.min_length);
    put_usize(&mut out, "maxLength", schema.max_length);
    if let Some(p) = schema.pattern {
        out.insert("pattern".into(), json!(p));
    }
    if let Some(f) = schema.format {
        out.insert("format".into(), json!(f));
    }
    put_number(&mut out, "minimum", schema.minimum);
    put_number(&mut out, "maximum", schema.maximum);
    if let Some(items) = &schema.items {
        out.insert("items".into(), to_json_schema(items));
    }
    put_usize(&mut out, "minItems", schema.min_items);
    put_usize(&mut out, "maxItems", schema.max_items);
    if schema.unique_items {
        out.insert("uniqueItems".into(), json!(true));
    }
    if !schema.properties.is_empty() {
        let props: Map<String, Value> = schema
            .properties
            .iter()
            .map(|(name, s)| ((*name).to_owned(), to_json_schema(s)))
            .collect();
        out.insert("properties".into(), Value::Object(props));
    }
    if !schema.required.is_empty() {
        out.insert("required".into(), json!(schema.required));
    }
    let is_object = schema.types.iter().any(|t| t.name() == "object");
    match &schema.additional {
        Additional::Deny => {
            out.insert("additionalProperties".into(), json!(false));
        }
        Additional::Schema(s) => {
            out.insert("additionalProperties".into(), to_json_schema(s));
        }
        Additional::Allow if is_object => {
            out.insert("additionalProperties".into(), json!(true));
        }
        Additional::Allow => {}
    }
    put_usize(&mut out, "minProperties", schema.min_properties);
    put_usize(&mut out, "maxProperties", schema.max_properties);
    if !schema.one_of.is_empty() {
        let v: Vec<Value> = schema.one_of.iter().map(to_json_schema).collect();
        out.insert("oneOf".into(), Value::Array(v));
    }
    if !schema.any_of.is_empty() {
        let v: Vec<Value> = schema.any_of.iter().map(to_json_schema).collect();
        out.insert("anyOf".into(), Value::Array(v));
    }
    Value::Object(out)
}

fn put_usize(out: &mut Map<String, Value>, key: &str, v: Option<usize>) {
    if let Some(n) = v {
        out.insert(key.into(), json!(n));
    }
}

fn put_number(out: &mut Map<String, Value>, key: &str, v: Option<f64>) {
    if let Some(n) = v {
        // Integral bounds are emitted as JSON integers, as the OAS writes them.
        let value = if n.fract() == 0.0 && n.abs() < 9e15 {
            json!(n as i64)
        } else {
            json!(n)
        };
        out.insert(key.into(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_constraints() {
        let s = Schema::object()
            .prop("name", Schema::string().min_len(1).pattern("^[^<>]+$"))
            .prop("n", Schema::integer().min(10.0).max(600.0).nullable())
            .required(&["name"])
            .closed();
        let v = to_json_schema(&s);
        assert_eq!(
            v,
            json!({
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1, "pattern": "^[^<>]+$"},
                    "n": {"type": ["integer", "null"], "minimum": 10, "maximum": 600}
                },
                "required": ["name"],
                "additionalProperties": false
            })
        );
    }
}
