//! Emails to a person about their own account (a sign-in from a new device, a changed
//! address, two-factor changes), kept in the outbox of their first business. They are a
//! courtesy: a failure to queue one is logged and never undoes what happened.

use crate::server::{AppState, StoreError};

/// Emails the person `user_id` (at `to`, or their current address) `lines` after a
/// greeting, with a link to `path` on the dashboard.
pub async fn tell(
    state: &AppState,
    user_id: &str,
    to: Option<&str>,
    subject: &str,
    lines: &[&str],
    label: &str,
    path: &str,
) {
    if let Err(err) = queue(state, user_id, to, subject, lines, label, path).await {
        tracing::error!(
            error = &err as &dyn std::error::Error,
            subject,
            "could not queue an account notice"
        );
    }
}

async fn queue(
    state: &AppState,
    user_id: &str,
    to: Option<&str>,
    subject: &str,
    lines: &[&str],
    label: &str,
    path: &str,
) -> Result<(), StoreError> {
    let Some((tenant_id, _)) = crate::auth::store::first_tenant_of(&state.db, user_id).await?
    else {
        return Ok(());
    };
    let (email, name): (String, String) =
        sqlx::query_as("select email, name from users where id = $1")
            .bind(user_id)
            .fetch_one(&state.db.pool)
            .await?;
    let greeting = format!("Hello {},", name.trim());
    let mut paragraphs = vec![greeting.as_str()];
    paragraphs.extend_from_slice(lines);
    let message = crate::mail::Email::with_link(
        to.unwrap_or(&email),
        subject,
        &paragraphs,
        label,
        &format!("{}{path}", state.public_url),
    );
    crate::mail::send::queue(&state.db, &tenant_id, &message).await?;
    state.jobs_wakeup.notify_one();
    Ok(())
}
