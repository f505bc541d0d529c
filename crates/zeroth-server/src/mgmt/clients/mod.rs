//! `/api/v2/clients`: Auth0's applications resource.

mod read;
mod write;

use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v2/clients", get(read::list).post(write::create))
        .route(
            "/api/v2/clients/{id}",
            get(read::get_one)
                .patch(write::update)
                .delete(write::delete),
        )
        .route(
            "/api/v2/clients/{id}/rotate-secret",
            post(write::rotate_secret),
        )
}
