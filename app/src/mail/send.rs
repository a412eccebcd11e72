//! Queueing an email (outbox row and job in one transaction) and the job that sends it.

use lettre::message::{MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Email, SendEmail};
use crate::jobs::{JobError, JobKind};
use crate::server::{new_id, now_ms, AppState, Db, MailServer, StoreError};

/// Keeps `email` in the tenant's outbox and queues its sending; returns the outbox id.
pub async fn queue(db: &Db, tenant_id: &str, email: &Email) -> Result<String, StoreError> {
    let id = new_id();
    let mut tx = db.begin().await?;
    sqlx::query(
        "insert into outbox (tenant_id, id, recipient, subject, body, html, created_at, kind) \
         values ($1, $2, $3, $4, $5, $6, $7, 'personal')",
    )
    .bind(tenant_id)
    .bind(&id)
    .bind(&email.to)
    .bind(&email.subject)
    .bind(&email.text)
    .bind(&email.html)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let job = JobKind::SendEmail(SendEmail {
        tenant_id: tenant_id.to_string(),
        outbox_id: id.clone(),
    });
    let (kind, payload) = job.to_row();
    crate::jobs::store::enqueue(
        &mut tx,
        crate::jobs::store::NewJob {
            id: &new_id(),
            tenant_id: Some(tenant_id),
            kind,
            payload,
            run_at: now_ms(),
            max_attempts: job.retry().max_attempts,
            priority: 1,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// An outbox message waiting to be sent.
#[derive(sqlx::FromRow)]
struct Queued {
    recipient: String,
    subject: String,
    body: String,
    html: Option<String>,
    sent_at: Option<i64>,
}

/// The job: sends the message when a mail server is configured (a refusal is retried),
/// and otherwise leaves it in the outbox.
pub async fn run(state: &AppState, job: &SendEmail) -> Result<(), JobError> {
    let Some(mail) = &state.mail else {
        return Ok(());
    };
    let queued: Option<Queued> = sqlx::query_as(
        "select recipient, subject, body, html, sent_at from outbox where tenant_id = $1 and id = $2",
    )
    .bind(&job.tenant_id)
    .bind(&job.outbox_id)
    .fetch_optional(&state.db.pool)
    .await
    .map_err(JobError::store("read the email"))?;
    let Some(queued) = queued else {
        return Err(JobError::Failed(
            "the email is no longer in the outbox".into(),
        ));
    };
    if queued.sent_at.is_some() {
        return Ok(());
    }
    let email = Email {
        to: queued.recipient,
        subject: queued.subject,
        text: queued.body,
        html: queued.html.unwrap_or_default(),
    };
    let outcome = deliver(mail, &email).await;
    sqlx::query("update outbox set sent_at = $3, error = $4 where tenant_id = $1 and id = $2")
        .bind(&job.tenant_id)
        .bind(&job.outbox_id)
        .bind(outcome.is_ok().then(now_ms))
        .bind(outcome.as_ref().err())
        .execute(&state.db.pool)
        .await
        .map_err(JobError::store("record the sending"))?;
    outcome.map_err(JobError::Failed)
}

/// Sends one email over SMTP (text, with the HTML as its alternative when there is one);
/// the error says what to fix.
pub async fn deliver(mail: &MailServer, email: &Email) -> Result<(), String> {
    let builder = Message::builder()
        .from(
            mail.from
                .parse()
                .map_err(|e| format!("BIZOSAAS_MAIL_FROM is not an address ({e})"))?,
        )
        .to(email
            .to
            .parse()
            .map_err(|e| format!("{} is not an address ({e})", email.to))?)
        .subject(&email.subject);
    let message = if email.html.is_empty() {
        builder.singlepart(SinglePart::plain(email.text.clone()))
    } else {
        builder.multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
    }
    .map_err(|e| format!("the message could not be made: {e}"))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&mail.url)
        .map_err(|e| format!("BIZOSAAS_SMTP_URL is not usable ({e})"))?
        .build();
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| format!("the mail server refused it ({e})"))
}
