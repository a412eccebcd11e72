//! The links in the verification and address-change emails (the reset link leads to a
//! page of the app).

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
    Router::new()
        .route("/verify-email", get(verify_email))
        .route("/confirm-email", get(confirm_email))
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
    link_page(
        StatusCode::BAD_REQUEST,
        "Your email address was not verified",
        problem.sentence(),
        "Sign in and use <strong>Send the link again</strong> on your dashboard for a new one.",
    )
}

/// Opens an address-change link: the new address becomes the account's, and the old one
/// is told.
async fn confirm_email(State(app): State<AppState>, Query(link): Query<Link>) -> Response {
    const AGAIN: &str = "Ask for the change again on your account page.";
    match super::store::change_address(&app.db, link.token.trim()).await {
        Ok(Ok((user_id, old, new))) => {
            let lines = [
                format!("Your BizOSaaS account now signs in with {new} instead of this address."),
                "If this was not you, reset your password from the sign-in page at once and tell us."
                    .to_string(),
            ];
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let subject = "Your BizOSaaS email address was changed";
            super::notices::tell(
                &app,
                &user_id,
                Some(&old),
                subject,
                &lines,
                "Sign in",
                "/login",
            )
            .await;
            tracing::info!(user = %user_id, "email address changed");
            Redirect::to("/account?email_changed=1").into_response()
        }
        Ok(Err(problem)) => link_page(
            StatusCode::BAD_REQUEST,
            "Your email address was not changed",
            problem.sentence(),
            AGAIN,
        ),
        Err(crate::server::StoreError::Conflict(sentence)) => link_page(
            StatusCode::CONFLICT,
            "Your email address was not changed",
            &sentence,
            AGAIN,
        ),
        Err(err) => AppError::from(err).into_response(),
    }
}

/// A plain page for a link that did not work: what happened and what to do.
fn link_page(status: StatusCode, title: &str, sentence: &str, next: &str) -> Response {
    let sentence = crate::sites::render::escape(sentence);
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · BizOSaaS</title></head>\
         <body style=\"font-family: sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem\">\
         <h1>{title}</h1><p>{sentence}</p><p>{next}</p>\
         <p><a href=\"/dashboard\">Go to your dashboard</a></p></body></html>"
    );
    (status, Html(page)).into_response()
}
