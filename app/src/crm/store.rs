//! SQL for contacts and submissions. The tenant comes first in every function.

use sqlx::{AnyConnection, Row};

use super::{Contact, Lead, Submission};
use crate::server::{new_id, now_ms, Db, StoreError};

/// Creates the contact for the lead's email, or fills in what it did not know yet, and
/// records the submission; inside the caller's transaction. Returns the contact id.
pub async fn record_lead(
    conn: &mut AnyConnection,
    tenant_id: &str,
    page_slug: &str,
    lead: &Lead,
) -> Result<String, StoreError> {
    let now = now_ms();
    // A later form without a name must not erase the name an earlier one gave.
    let contact_id: String = sqlx::query_scalar(
        "insert into contacts (tenant_id, id, email, name, phone, company, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $7) \
         on conflict (tenant_id, email) do update set \
           name = case when excluded.name = '' then contacts.name else excluded.name end, \
           phone = case when excluded.phone = '' then contacts.phone else excluded.phone end, \
           company = case when excluded.company = '' then contacts.company else excluded.company end, \
           updated_at = excluded.updated_at \
         returning id",
    )
    .bind(tenant_id)
    .bind(new_id())
    .bind(&lead.email)
    .bind(&lead.name)
    .bind(&lead.phone)
    .bind(&lead.company)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let fields =
        serde_json::to_string(&lead.fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "insert into form_submissions (tenant_id, id, contact_id, page_slug, fields, created_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tenant_id)
    .bind(new_id())
    .bind(&contact_id)
    .bind(page_slug)
    .bind(fields)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(contact_id)
}

/// The tenant's contacts, most recently active first, each with its submissions.
pub async fn contacts(db: &Db, tenant_id: &str, limit: i64) -> Result<Vec<Contact>, StoreError> {
    let mut contacts: Vec<Contact> = sqlx::query_as(
        "select id, email, name, phone, company, created_at, updated_at from contacts \
         where tenant_id = $1 order by updated_at desc, id limit $2",
    )
    .bind(tenant_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let submissions = sqlx::query(
        "select s.id, s.contact_id, s.page_slug, s.fields, s.created_at from form_submissions s \
         where s.tenant_id = $1 and s.contact_id in \
           (select id from contacts where tenant_id = $1 order by updated_at desc, id limit $2) \
         order by s.created_at desc, s.id desc",
    )
    .bind(tenant_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    for row in &submissions {
        let contact_id: String = row.try_get("contact_id")?;
        let Some(contact) = contacts.iter_mut().find(|c| c.id == contact_id) else {
            continue;
        };
        let fields: String = row.try_get("fields")?;
        contact.submissions.push(Submission {
            id: row.try_get("id")?,
            page_slug: row.try_get("page_slug")?,
            fields: serde_json::from_str(&fields)
                .map_err(|e| StoreError::Corrupt(format!("submission: {e}")))?,
            created_at: row.try_get("created_at")?,
        });
    }
    Ok(contacts)
}

/// Stores a lead from a site's form as a contact, with a finished task in the feed
/// that says so, in one transaction.
pub async fn capture_lead(
    db: &Db,
    tenant_id: &str,
    slug: &str,
    lead: &super::Lead,
) -> Result<crate::activity::AgentTaskEvent, StoreError> {
    use crate::activity::store::{create_task, NewTask};
    use crate::activity::TaskStatus;
    let mut tx = db.begin().await?;
    let contact_id = record_lead(&mut tx, tenant_id, slug, lead).await?;
    let who = if lead.name.is_empty() {
        lead.email.clone()
    } else {
        format!("{} <{}>", lead.name, lead.email)
    };
    let task_id = crate::server::new_id();
    let summary = format!("New lead: {who} via /{slug}");
    let event = create_task(
        &mut tx,
        tenant_id,
        NewTask {
            status: TaskStatus::Completed,
            progress: 100,
            summary: Some(&summary),
            metadata: serde_json::json!({ "contact_id": contact_id, "page": format!("/{slug}") }),
            ..NewTask::pending(&task_id, "lead_captured", "lead-forms")
        },
    )
    .await?;
    crate::signals::commit(db, tx, crate::signals::Signal::Feed).await?;
    Ok(event)
}
