//! `/api/v2/resource-servers`: Auth0's APIs resource.

mod handlers;

use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v2/resource-servers",
            get(handlers::list).post(handlers::create),
        )
        .route(
            "/api/v2/resource-servers/{id}",
            get(handlers::get_one)
                .patch(handlers::update)
                .delete(handlers::delete),
        )
}
