//! The link in the verification email (the reset link leads to a page of the app).

use axum::extract::{FromRef, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use crate::error::AppError;
use crate::server::AppState;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
{
    Router::new().route("/verify-email", get(verify_email))
}

#[derive(serde::Deserialize)]
struct Link {
    #[serde(default)]
    token: String,
}

async fn verify_email(State(app): State<AppState>, Query(link): Query<Link>) -> Response {
    let problem = match super::store::verify_address(&app.db, link.token.trim()).await {
        Ok(Ok(())) => return Redirect::to("/dashboard?verified=1").into_response(),
        Ok(Err(problem)) => problem,
        Err(err) => return AppError::from(err).into_response(),
    };
    let sentence = problem.sentence();
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Email not verified · BizOSaaS</title></head>\
         <body style=\"font-family: sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem\">\
         <h1>Your email address was not verified</h1><p>{sentence}</p>\
         <p>Sign in and use <strong>Send the link again</strong> on your dashboard for a new one.</p>\
         <p><a href=\"/dashboard\">Go to your dashboard</a></p></body></html>"
    );
    (StatusCode::BAD_REQUEST, Html(page)).into_response()
}
