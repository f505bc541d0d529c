//! Credential-bearing objects: full credentials on create, credential ids on update.

use crate::schema::Schema;

fn credential_id() -> Schema {
    Schema::object()
        .prop("id", Schema::string().format("credential-id"))
        .required(&["id"])
        .closed()
}

fn public_key() -> Schema {
    Schema::object()
        .prop("credential_type", Schema::string_enum(&["public_key"]))
        .prop("name", Schema::string().max_len(128))
        .prop(
            "kid",
            Schema::string()
                .min_len(10)
                .max_len(64)
                .pattern("^([0-9a-zA-Z-_]{10,64})$"),
        )
        .prop("pem", Schema::string())
        .prop("alg", Schema::string_enum(&["RS256", "RS384", "PS256"]))
        .prop("parse_expiry_from_cert", Schema::boolean())
        .prop("expires_at", Schema::string().format("date-time"))
        .required(&["credential_type", "pem"])
        .closed()
}

fn cert_subject_dn() -> Schema {
    Schema::object()
        .prop("credential_type", Schema::string_enum(&["cert_subject_dn"]))
        .prop("name", Schema::string().max_len(128))
        .prop("subject_dn", Schema::string().min_len(1).max_len(256))
        .prop("pem", Schema::string().min_len(1).max_len(4096))
        .required(&["credential_type"])
        .closed()
}

fn x509_cert() -> Schema {
    Schema::object()
        .prop("credential_type", Schema::string_enum(&["x509_cert"]))
        .prop("name", Schema::string().max_len(128))
        .prop("pem", Schema::string().min_len(1).max_len(4096))
        .required(&["credential_type", "pem"])
        .closed()
}

fn method(credential: Schema) -> Schema {
    Schema::object()
        .prop("credentials", Schema::array(credential))
        .required(&["credentials"])
        .closed()
}

fn methods(pkj: Schema, tls: Schema, self_signed: Schema) -> Schema {
    Schema::object()
        .prop("private_key_jwt", method(pkj))
        .prop("tls_client_auth", method(tls))
        .prop("self_signed_tls_client_auth", method(self_signed))
        .min_props(1)
        .max_props(1)
        .closed()
}

/// Create: each method carries full credential definitions.
pub fn authentication_methods_create() -> Schema {
    methods(public_key(), cert_subject_dn(), x509_cert())
}

/// Update: each method only references existing credential ids.
pub fn authentication_methods_update() -> Schema {
    methods(credential_id(), credential_id(), credential_id()).nullable()
}

fn signed_request_object(credential: Schema) -> Schema {
    Schema::object()
        .prop("required", Schema::boolean())
        .prop("credentials", Schema::array(credential))
        .closed()
}

pub fn signed_request_object_create() -> Schema {
    signed_request_object(public_key())
}

pub fn signed_request_object_update() -> Schema {
    signed_request_object(credential_id())
}
