//! Validator tests: each tv4 message, paths, and "all problems, not the first".

use super::*;
use serde_json::json;

fn messages(schema: &Schema, v: serde_json::Value) -> Vec<(String, String)> {
    validate(schema, &v)
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect()
}

fn one(path: &str, msg: &str) -> Vec<(String, String)> {
    vec![(path.to_owned(), msg.to_owned())]
}

#[test]
fn type_errors_single_and_union() {
    let s = Schema::object()
        .prop("a", Schema::boolean())
        .prop("b", Schema::string().nullable());
    assert_eq!(
        messages(&s, json!({"a": "x", "b": 5})),
        vec![
            ("a".into(), "Invalid type: string (expected boolean)".into()),
            (
                "b".into(),
                "Invalid type: number (expected string/null)".into()
            ),
        ]
    );
    assert_eq!(
        messages(&s, json!([])),
        one("", "Invalid type: array (expected object)")
    );
    assert_eq!(
        messages(&Schema::integer(), json!(1.5)),
        one("", "Invalid type: number (expected integer)")
    );
    assert!(messages(&Schema::integer(), json!(3)).is_empty());
}

#[test]
fn string_rules() {
    let s = Schema::string().min_len(1).max_len(3);
    assert_eq!(
        messages(&s, json!("")),
        one("", "String is too short (0 chars), minimum 1")
    );
    assert_eq!(
        messages(&s, json!("abcd")),
        one("", "String is too long (4 chars), maximum 3")
    );
    let p = Schema::string().pattern("^[^<>]+$");
    assert_eq!(
        messages(&p, json!("<b>")),
        one("", "String does not match pattern ^[^<>]+$: <b>")
    );
    let f = Schema::string().format("callback-url");
    assert_eq!(
        messages(&f, json!("nope")),
        one(
            "",
            "Object didn't pass validation for format callback-url: nope"
        )
    );
}

/// Patterns are compiled once and kept: every later check still answers for its own
/// pattern and value, from any thread.
#[test]
fn kept_patterns_answer_for_their_own_pattern() {
    let names = Schema::string().pattern("^[^<>]+$");
    let account = Schema::string().pattern("^([a-z0-9]){3,24}$");
    let broken = Schema::string().pattern("^(unclosed$");
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (names, account, broken) = (names.clone(), account.clone(), broken.clone());
            std::thread::spawn(move || {
                for _ in 0..50 {
                    assert!(messages(&names, json!("My App")).is_empty());
                    assert_eq!(messages(&names, json!("<b>")).len(), 1);
                    assert!(messages(&account, json!("bench01")).is_empty());
                    assert_eq!(messages(&account, json!("My App")).len(), 1);
                    assert_eq!(messages(&broken, json!("unclosed")).len(), 1);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn enum_and_numbers() {
    let e = Schema::string_enum(&["a", "b"]);
    assert_eq!(
        messages(&e, json!("foo")),
        one("", "No enum match for: \"foo\"")
    );
    assert!(messages(&e.clone().nullable(), json!(null)).is_empty());
    let n = Schema::integer().min(10.0).max(600.0);
    assert_eq!(
        messages(&n, json!(5)),
        one("", "Value 5 is less than minimum 10")
    );
    assert_eq!(
        messages(&n, json!(700)),
        one("", "Value 700 is greater than maximum 600")
    );
}

#[test]
fn arrays() {
    let s = Schema::array(Schema::string().min_len(1))
        .min_items(1)
        .unique();
    assert_eq!(
        messages(&s, json!([])),
        one("", "Array is too short (0), minimum 1")
    );
    assert_eq!(
        messages(&s, json!(["a", "a", ""])),
        vec![
            (
                "".into(),
                "Array items are not unique (indexes 0 and 1)".into()
            ),
            (
                "[2]".into(),
                "String is too short (0 chars), minimum 1".into()
            ),
        ]
    );
    let long = Schema::array(Schema::any()).max_items(1);
    assert_eq!(
        messages(&long, json!([1, 2])),
        one("", "Array is too long (2), maximum 1")
    );
}

#[test]
fn objects_report_everything_with_paths() {
    let inner = Schema::object()
        .prop("url", Schema::string())
        .required(&["url"]);
    let s = Schema::object()
        .prop("addons", Schema::object().prop("rms", inner).closed())
        .prop(
            "list",
            Schema::array(Schema::object().prop("id", Schema::string()).closed()),
        )
        .closed();
    let got = messages(
        &s,
        json!({"x": 1, "y": 2, "addons": {"rms": {}, "zz": {}}, "list": [{"id": 1, "k": 0}]}),
    );
    assert_eq!(
        got,
        vec![
            ("".into(), "Additional properties not allowed: x,y".into()),
            (
                "addons".into(),
                "Additional properties not allowed: zz".into()
            ),
            ("addons.rms".into(), "Missing required property: url".into()),
            (
                "list[0]".into(),
                "Additional properties not allowed: k".into()
            ),
            (
                "list[0].id".into(),
                "Invalid type: number (expected string)".into()
            ),
        ]
    );
}

#[test]
fn property_counts_and_additional_schema() {
    let s = Schema::object()
        .min_props(1)
        .max_props(2)
        .additional(Schema::string());
    assert_eq!(
        messages(&s, json!({})),
        one("", "Too few properties defined (0), minimum 1")
    );
    assert_eq!(
        messages(&s, json!({"a": "1", "b": "2", "c": 3})),
        vec![
            (
                "".into(),
                "Too many properties defined (3), maximum 2".into()
            ),
            ("c".into(), "Invalid type: number (expected string)".into()),
        ]
    );
}

#[test]
fn one_of_and_any_of() {
    let s = Schema::one_of(vec![Schema::string(), Schema::array(Schema::string())]);
    assert!(messages(&s, json!("a")).is_empty());
    assert!(messages(&s, json!(["a"])).is_empty());
    assert_eq!(
        messages(&s, json!(1)),
        one("", "Data does not match any schemas from \"oneOf\"")
    );
    let both = Schema::one_of(vec![Schema::any(), Schema::any()]);
    assert_eq!(
        messages(&both, json!(1)),
        one(
            "",
            "Data is valid against more than one schema from \"oneOf\": indices 0 and 1"
        )
    );
    let any = Schema {
        any_of: vec![Schema::boolean()],
        ..Schema::any()
    };
    assert_eq!(
        messages(&any, json!(1)),
        one("", "Data does not match any schemas from \"anyOf\"")
    );
}

#[test]
fn payload_error_wraps_and_joins() {
    let problems = vec![
        Problem::new("", "Additional properties not allowed: a,b"),
        Problem::new(
            "callbacks[0]",
            "Object didn't pass validation for format callback-url: ",
        ),
    ];
    assert_eq!(
        payload_error(&problems),
        "Payload validation error: 'Additional properties not allowed: a,b'. (also) \
         Payload validation error: 'Object didn't pass validation for format callback-url: ' \
         on property callbacks[0]."
    );
}

#[test]
fn payload_errors_read_back_into_problems_with_their_paths() {
    let problems = vec![
        Problem::new(
            "callbacks[0]",
            "Object didn't pass validation for format callback-url: x",
        ),
        Problem::new(
            "jwt_configuration.lifetime_in_seconds",
            "Invalid type: string (expected number)",
        ),
        Problem::new("", "Expected type object"),
    ];
    let message = format!(
        "{} (also) Invalid grant types: foo",
        payload_error(&problems)
    );
    let mut expected = problems.clone();
    expected.push(Problem::new("", "Invalid grant types: foo"));
    assert_eq!(parse_payload_error(&message), expected);
}
