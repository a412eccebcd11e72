//! Proving an email address: a single-use link sent to it, valid for two days, stored
//! hashed. Without a mail server the link is kept in the outbox and written to the log
//! (so `make run` can be used on its own).

use sha2::{Digest, Sha256};

use crate::mail::Email;
use crate::server::{now_ms, AppState, Db, StoreError};

const PURPOSE: &str = "verify_email";
const VALID_FOR_MS: i64 = 48 * 3600 * 1000;

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sends (or keeps) a new verification link for the user's address.
pub async fn send_link(
    state: &AppState,
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
    .bind(hash(&token))
    .bind(user_id)
    .bind(PURPOSE)
    .bind(email)
    .bind(now + VALID_FOR_MS)
    .bind(now)
    .execute(&state.db.pool)
    .await?;
    let link = format!("{}/verify-email?token={token}", state.public_url);
    let greeting = format!("Hello {},", name.trim());
    let message = Email::with_link(
        email,
        "Verify your email address for BizOSaaS",
        &[
            &greeting,
            "Please confirm that this address is yours. The link works once, for two days.",
            "If you did not sign up for BizOSaaS, ignore this email.",
        ],
        "Verify my email",
        &link,
    );
    crate::mail::send::queue(&state.db, tenant_id, &message).await?;
    if state.mail.is_none() {
        // Only without a mail server, so a person running it locally can go on.
        tracing::info!(%email, %link, "no mail server is configured: open this link to verify");
    }
    state.jobs_wakeup.notify_one();
    Ok(())
}

/// Why a link did not verify anything, as the page says it.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkProblem {
    Unknown,
    Used,
    Expired,
}

/// Uses a link: the address it was sent to is verified, and the link is spent.
pub async fn use_link(db: &Db, token: &str) -> Result<Result<(), LinkProblem>, StoreError> {
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let found: Option<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "select user_id, email, expires_at, used_at from email_tokens \
         where token_hash = $1 and purpose = $2",
    )
    .bind(hash(token))
    .bind(PURPOSE)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user_id, email, expires_at, used_at)) = found else {
        return Ok(Err(LinkProblem::Unknown));
    };
    if used_at.is_some() {
        return Ok(Err(LinkProblem::Used));
    }
    if expires_at < now {
        return Ok(Err(LinkProblem::Expired));
    }
    // Only once, even when two clicks race.
    let spent = sqlx::query(
        "update email_tokens set used_at = $2 where token_hash = $1 and used_at is null",
    )
    .bind(hash(token))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if spent.rows_affected() != 1 {
        return Ok(Err(LinkProblem::Used));
    }
    // The address must still be the account's: a link to an old address proves nothing.
    sqlx::query(
        "update users set email_verified_at = $3 where id = $1 and email = $2 \
         and email_verified_at is null",
    )
    .bind(&user_id)
    .bind(&email)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
