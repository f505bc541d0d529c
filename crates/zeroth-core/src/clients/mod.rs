//! Applications (Auth0 "clients"): schema, defaults, PATCH merge, field visibility, service.
