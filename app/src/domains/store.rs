//! SQL for custom domains. Reads for serving a host look only at verified domains.

use sqlx::{any::AnyRow, Row};

use super::CustomDomain;
use crate::server::{now_ms, Db, StoreError};
use crate::signals::{publish, Signal};

const COLUMNS: &str =
    "host, token, verified_at, last_checked_at, last_error, prefer_www, created_at";

fn from_row(row: &AnyRow) -> Result<CustomDomain, StoreError> {
    Ok(CustomDomain {
        host: row.try_get("host")?,
        token: row.try_get("token")?,
        verified_at: row.try_get("verified_at")?,
        last_checked_at: row.try_get("last_checked_at")?,
        last_error: row.try_get("last_error")?,
        prefer_www: row.try_get::<i64, _>("prefer_www")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

fn not_found() -> StoreError {
    StoreError::NotFound("The domain".into())
}

pub async fn domains_of(db: &Db, tenant_id: &str) -> Result<Vec<CustomDomain>, StoreError> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from domains where tenant_id = $1 order by host"
    ))
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn domain(db: &Db, tenant_id: &str, host: &str) -> Result<CustomDomain, StoreError> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from domains where tenant_id = $1 and host = $2"
    ))
    .bind(tenant_id)
    .bind(host)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(not_found)?;
    from_row(&row)
}

pub async fn add(db: &Db, tenant_id: &str, host: &str) -> Result<CustomDomain, StoreError> {
    // A token no one can guess, so nobody can prepare a record for someone else's site.
    let token = uuid::Uuid::new_v4().simple().to_string();
    sqlx::query("insert into domains (tenant_id, host, token, created_at) values ($1, $2, $3, $4)")
        .bind(tenant_id)
        .bind(host)
        .bind(&token)
        .bind(now_ms())
        .execute(&db.pool)
        .await
        .map_err(|e| match StoreError::from(e) {
            err if err.is_unique_violation() => {
                StoreError::Conflict(format!("{host} is already one of your domains."))
            }
            err => err,
        })?;
    domain(db, tenant_id, host).await
}

pub async fn remove(db: &Db, tenant_id: &str, host: &str) -> Result<(), StoreError> {
    let done = sqlx::query("delete from domains where tenant_id = $1 and host = $2")
        .bind(tenant_id)
        .bind(host)
        .execute(&db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(not_found());
    }
    publish(db, Signal::site(tenant_id)).await;
    Ok(())
}

pub async fn set_prefer_www(
    db: &Db,
    tenant_id: &str,
    host: &str,
    prefer_www: bool,
) -> Result<CustomDomain, StoreError> {
    let done = sqlx::query("update domains set prefer_www = $3 where tenant_id = $1 and host = $2")
        .bind(tenant_id)
        .bind(host)
        .bind(i64::from(prefer_www))
        .execute(&db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(not_found());
    }
    // Serving at the host starts, stops or changes on the next request, in every process.
    publish(db, Signal::site(tenant_id)).await;
    domain(db, tenant_id, host).await
}

/// Records a check. A failed check withdraws the verification: whoever controls the
/// DNS now decides.
pub async fn record_check(
    db: &Db,
    tenant_id: &str,
    host: &str,
    outcome: Result<(), String>,
) -> Result<CustomDomain, StoreError> {
    let now = now_ms();
    let query = match &outcome {
        Ok(()) => sqlx::query(
            "update domains set verified_at = coalesce(verified_at, $3), last_checked_at = $3, \
             last_error = null where tenant_id = $1 and host = $2",
        ),
        Err(_) => sqlx::query(
            "update domains set verified_at = null, last_checked_at = $3, last_error = $4 \
             where tenant_id = $1 and host = $2",
        ),
    };
    let done = query
        .bind(tenant_id)
        .bind(host)
        .bind(now)
        .bind(outcome.as_ref().err())
        .execute(&db.pool)
        .await
        .map_err(|e| match StoreError::from(e) {
            err if err.is_unique_violation() => StoreError::Conflict(format!(
                "{host} is already connected to another site. If it is yours, contact support."
            )),
            err => err,
        })?;
    if done.rows_affected() == 0 {
        return Err(not_found());
    }
    // Serving at the host starts, stops or changes on the next request, in every process.
    publish(db, Signal::site(tenant_id)).await;
    domain(db, tenant_id, host).await
}

/// The site behind a verified custom domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainSite {
    pub tenant_slug: String,
    pub tenant_id: String,
    pub domain: CustomDomain,
}

/// The verified domain a visitor's host belongs to (`example.com` or `www.example.com`).
pub async fn site_for_host(db: &Db, host: &str) -> Result<Option<DomainSite>, StoreError> {
    let row = sqlx::query(
        "select d.host, d.token, d.verified_at, d.last_checked_at, d.last_error, d.prefer_www,          d.created_at, t.id as tenant_id, t.slug as tenant_slug from domains d          join tenants t on t.id = d.tenant_id          where d.verified_at is not null and (d.host = $1 or 'www.' || d.host = $1)",
    )
    .bind(host)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(DomainSite {
            tenant_slug: row.try_get("tenant_slug")?,
            tenant_id: row.try_get("tenant_id")?,
            domain: from_row(&row)?,
        })
    })
    .transpose()
}
