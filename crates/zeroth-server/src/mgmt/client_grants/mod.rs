//! `/api/v2/client-grants`: which application may call which API.

mod handlers;

use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v2/client-grants",
            get(handlers::list).post(handlers::create),
        )
        .route(
            "/api/v2/client-grants/{id}",
            get(handlers::get_one)
                .patch(handlers::update)
                .delete(handlers::delete),
        )
}
