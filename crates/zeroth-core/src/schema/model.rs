//! The schema description itself: plain Rust data plus a small builder vocabulary.

use serde_json::Value;

/// JSON types as tv4 names them in its `Invalid type` message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Type {
    pub fn name(self) -> &'static str {
        match self {
            Type::Null => "null",
            Type::Boolean => "boolean",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::String => "string",
            Type::Array => "array",
            Type::Object => "object",
        }
    }
}

/// What an object does with keys it does not declare.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    Allow,
    Deny,
    Schema(Box<Schema>),
}

/// One node of the schema. Every constraint is optional; an empty `types` accepts any type.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub types: Vec<Type>,
    pub description: Option<&'static str>,
    pub enum_values: Option<Vec<Value>>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<&'static str>,
    pub format: Option<&'static str>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub items: Option<Box<Schema>>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub properties: Vec<(&'static str, Schema)>,
    pub required: Vec<&'static str>,
    pub additional: Additional,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    pub one_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub default: Option<Value>,
}

impl Default for Schema {
    fn default() -> Self {
        Schema {
            types: Vec::new(),
            description: None,
            enum_values: None,
            min_length: None,
            max_length: None,
            pattern: None,
            format: None,
            minimum: None,
            maximum: None,
            items: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            properties: Vec::new(),
            required: Vec::new(),
            additional: Additional::Allow,
            min_properties: None,
            max_properties: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            default: None,
        }
    }
}

/// Builder entry points and chainable refinements, so schema files read like the OAS.
impl Schema {
    pub fn any() -> Schema {
        Schema::default()
    }
    fn of(t: Type) -> Schema {
        Schema {
            types: vec![t],
            ..Schema::default()
        }
    }
    pub fn string() -> Schema {
        Schema::of(Type::String)
    }
    pub fn boolean() -> Schema {
        Schema::of(Type::Boolean)
    }
    pub fn integer() -> Schema {
        Schema::of(Type::Integer)
    }
    pub fn number() -> Schema {
        Schema::of(Type::Number)
    }
    pub fn null() -> Schema {
        Schema::of(Type::Null)
    }
    /// An object with no declared properties that accepts anything inside.
    pub fn object() -> Schema {
        Schema::of(Type::Object)
    }
    pub fn array(items: Schema) -> Schema {
        Schema {
            items: Some(Box::new(items)),
            ..Schema::of(Type::Array)
        }
    }
    /// A string restricted to the given values.
    pub fn string_enum(values: &[&str]) -> Schema {
        Schema {
            enum_values: Some(values.iter().map(|v| Value::from(*v)).collect()),
            ..Schema::string()
        }
    }
    pub fn one_of(variants: Vec<Schema>) -> Schema {
        Schema {
            one_of: variants,
            ..Schema::default()
        }
    }

    /// Also accept `null`; an enum gains `null` as an allowed value too.
    pub fn nullable(mut self) -> Schema {
        if !self.types.is_empty() && !self.types.contains(&Type::Null) {
            self.types.push(Type::Null);
        }
        if let Some(values) = self.enum_values.as_mut() {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
        self
    }
    pub fn min_len(mut self, n: usize) -> Schema {
        self.min_length = Some(n);
        self
    }
    pub fn max_len(mut self, n: usize) -> Schema {
        self.max_length = Some(n);
        self
    }
    pub fn pattern(mut self, p: &'static str) -> Schema {
        self.pattern = Some(p);
        self
    }
    pub fn format(mut self, f: &'static str) -> Schema {
        self.format = Some(f);
        self
    }
    pub fn min(mut self, n: f64) -> Schema {
        self.minimum = Some(n);
        self
    }
    pub fn max(mut self, n: f64) -> Schema {
        self.maximum = Some(n);
        self
    }
    pub fn min_items(mut self, n: usize) -> Schema {
        self.min_items = Some(n);
        self
    }
    pub fn max_items(mut self, n: usize) -> Schema {
        self.max_items = Some(n);
        self
    }
    pub fn unique(mut self) -> Schema {
        self.unique_items = true;
        self
    }
    pub fn prop(mut self, name: &'static str, schema: Schema) -> Schema {
        self.properties.push((name, schema));
        self
    }
    pub fn required(mut self, names: &[&'static str]) -> Schema {
        self.required.extend_from_slice(names);
        self
    }
    /// `additionalProperties: false`.
    pub fn closed(mut self) -> Schema {
        self.additional = Additional::Deny;
        self
    }
    pub fn additional(mut self, schema: Schema) -> Schema {
        self.additional = Additional::Schema(Box::new(schema));
        self
    }
    pub fn min_props(mut self, n: usize) -> Schema {
        self.min_properties = Some(n);
        self
    }
    pub fn max_props(mut self, n: usize) -> Schema {
        self.max_properties = Some(n);
        self
    }
    pub fn describe(mut self, d: &'static str) -> Schema {
        self.description = Some(d);
        self
    }
    pub fn default_value(mut self, v: Value) -> Schema {
        self.default = Some(v);
        self
    }

    /// The declared schema of property `name`, if any.
    pub fn property(&self, name: &str) -> Option<&Schema> {
        self.properties
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s)
    }
}
