//! Single-use links sent by email: verifying an address (two days), resetting a
//! password (one hour) and confirming a new address (one day). Only a hash of each token is stored. Without a mail server the
//! email waits in the outbox and the link is written to the log (so `make run` can be
//! used on its own).

use crate::mail::Email;
use crate::server::{now_ms, sha256_hex, AppState, StoreError};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    /// Sent to the new address; opening it makes it the account's.
    ChangeEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ChangeEmail => "change_email",
        }
    }

    fn valid_for_ms(self) -> i64 {
        match self {
            Purpose::VerifyEmail => 48 * 3600 * 1000,
            Purpose::ResetPassword => 3600 * 1000,
            Purpose::ChangeEmail => 24 * 3600 * 1000,
        }
    }

    /// Where the link leads.
    fn path(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "/verify-email",
            Purpose::ResetPassword => "/reset-password",
            Purpose::ChangeEmail => "/confirm-email",
        }
    }
}

/// Why a link did nothing, as the page says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    Unknown,
    Used,
    Expired,
}

impl LinkProblem {
    pub fn sentence(self) -> &'static str {
        match self {
            LinkProblem::Unknown => "This link is not one of ours, or it was copied only in part.",
            LinkProblem::Used => "This link was used already; each link works once.",
            LinkProblem::Expired => "This link has expired; ask for a new one.",
        }
    }
}

/// Makes a new link for the user and emails it (through the tenant's outbox).
pub async fn send(
    state: &AppState,
    purpose: Purpose,
    tenant_id: &str,
    user_id: &str,
    email: &str,
    name: &str,
) -> Result<(), StoreError> {
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let now = now_ms();
    sqlx::query(
        "insert into email_tokens (token_hash, user_id, purpose, email, expires_at, created_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(sha256_hex(&token))
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(email)
    .bind(now + purpose.valid_for_ms())
    .bind(now)
    .execute(&state.db.pool)
    .await?;
    let link = format!("{}{}?token={token}", state.public_url, purpose.path());
    let greeting = format!("Hello {},", name.trim());
    let message = match purpose {
        Purpose::VerifyEmail => Email::with_link(
            email,
            "Verify your email address for BizOSaaS",
            &[
                &greeting,
                "Please confirm that this address is yours. The link works once, for two days.",
                "If you did not sign up for BizOSaaS, ignore this email.",
            ],
            "Verify my email",
            &link,
        ),
        Purpose::ResetPassword => Email::with_link(
            email,
            "Choose a new password for BizOSaaS",
            &[
                &greeting,
                "Someone asked to reset the password of your BizOSaaS account. The link works \
                 once, for one hour, and signs you out everywhere else.",
                "If it was not you, ignore this email: your password stays as it is.",
            ],
            "Choose a new password",
            &link,
        ),
        Purpose::ChangeEmail => Email::with_link(
            email,
            "Confirm your new email address for BizOSaaS",
            &[
                &greeting,
                "You asked to sign in to BizOSaaS with this address from now on. The link works \
                 once, for one day.",
                "If you did not ask for this, ignore this email: nothing changes.",
            ],
            "Confirm my new address",
            &link,
        ),
    };
    crate::mail::send::queue(&state.db, tenant_id, &message).await?;
    if state.mail.is_none() {
        // Only without a mail server, so a person running it locally can go on.
        tracing::info!(%email, %link, "no mail server is configured: open this link");
    }
    state.jobs_wakeup.notify_one();
    Ok(())
}

/// Spends a link inside the caller's transaction: (user id, the address it was sent to).
/// Only once, even when two clicks race.
pub async fn spend(
    conn: &mut sqlx::AnyConnection,
    purpose: Purpose,
    token: &str,
) -> Result<Result<(String, String), LinkProblem>, StoreError> {
    let found: Option<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "select user_id, email, expires_at, used_at from email_tokens \
         where token_hash = $1 and purpose = $2",
    )
    .bind(sha256_hex(token))
    .bind(purpose.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((user_id, email, expires_at, used_at)) = found else {
        return Ok(Err(LinkProblem::Unknown));
    };
    if used_at.is_some() {
        return Ok(Err(LinkProblem::Used));
    }
    let now = now_ms();
    if expires_at < now {
        return Ok(Err(LinkProblem::Expired));
    }
    let spent = sqlx::query(
        "update email_tokens set used_at = $2 where token_hash = $1 and used_at is null",
    )
    .bind(sha256_hex(token))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if spent.rows_affected() != 1 {
        return Ok(Err(LinkProblem::Used));
    }
    Ok(Ok((user_id, email)))
}
