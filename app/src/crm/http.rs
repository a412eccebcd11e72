//! Lead capture: a tenant site's contact form, posted without any JavaScript, checked
//! against the published form, stored as a CRM contact of that tenant (and only that
//! one), announced in the activity feed, and answered with a themed page.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::cms::{store as cms, PageContent};
use crate::server::rate_limit::RateLimit;
use crate::server::AppState;
use crate::sites::http::{internal, ClientIp, SiteTenant};
use crate::sites::render;

/// Lead forms allowed per visitor IP: a burst of 5, then one every 12 seconds.
#[derive(Clone)]
pub struct LeadLimiter(pub Arc<RateLimit<IpAddr>>);

impl Default for LeadLimiter {
    fn default() -> Self {
        let quota = governor::Quota::per_minute(std::num::NonZeroU32::new(5).expect("non-zero"));
        LeadLimiter(Arc::new(RateLimit::new(quota)))
    }
}

/// Largest form body accepted (a long message fits many times over).
const MAX_FORM_BYTES: usize = 32 * 1024;

/// `POST /_form` on a tenant's site.
pub async fn lead_form(
    State(app): State<AppState>,
    State(limiter): State<LeadLimiter>,
    SiteTenant(tenant): SiteTenant,
    ClientIp(ip): ClientIp,
    request: Request,
) -> Response {
    // Every answer is a short page in the tenant's theme.
    let answer = |status: StatusCode, title: &str, lines: &[String], back: &str| {
        (
            status,
            Html(render::message_document(&tenant, title, lines, back)),
        )
            .into_response()
    };
    if let Some(ip) = ip {
        if limiter.0.check(&ip).is_err() {
            tracing::info!(tenant = %tenant.slug, %ip, "lead form rate limited");
            let mut response = answer(
                StatusCode::TOO_MANY_REQUESTS,
                "Please wait a moment",
                &[
                    "You have sent several messages in a short time. Please try again in a minute."
                        .into(),
                ],
                "/",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            return response;
        }
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES).await else {
        let shorten = ["Please shorten your message and send it again.".to_string()];
        return answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Message too long",
            &shorten,
            "/",
        );
    };
    let values: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let slug = values.get("_page").cloned().unwrap_or_default();
    let back = format!("/{slug}");
    if values
        .get(render::HONEYPOT_FIELD)
        .is_some_and(|v| !v.is_empty())
    {
        tracing::info!(tenant = %tenant.slug, "lead form spam (honeypot filled)");
        let not_sent = ["Your message could not be sent.".to_string()];
        return answer(
            StatusCode::BAD_REQUEST,
            "Message not sent",
            &not_sent,
            &back,
        );
    }
    // The form's fields come from the published page, never from the request.
    let form = match cms::published_by_slug::<PageContent>(&app.db, &tenant.id, &slug).await {
        Ok(page) => page
            .map(|page| page.content)
            .zip(values.get("_block").and_then(|n| n.parse::<usize>().ok()))
            .and_then(|(page, n)| page.blocks.into_iter().nth(n))
            .and_then(|block| match block {
                crate::cms::Block::ContactForm {
                    fields, thank_you, ..
                } => Some((fields, thank_you)),
                _ => None,
            }),
        Err(err) => return internal(err),
    };
    let Some((fields, thank_you)) = form else {
        let gone = ["This form is no longer on the site.".to_string()];
        return answer(StatusCode::NOT_FOUND, "Form not found", &gone, "/");
    };
    let lead = match super::parse_lead(&fields, &values) {
        Ok(lead) => lead,
        Err(problems) => {
            return answer(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Please check the form",
                &problems,
                &back,
            )
        }
    };
    if let Err(err) = super::store::capture_lead(&app.db, &tenant.id, &slug, &lead).await {
        return internal(err);
    }
    tracing::info!(tenant = %tenant.slug, page = %back, "lead captured");
    answer(StatusCode::OK, "Thank you", &[thank_you], &back)
}
