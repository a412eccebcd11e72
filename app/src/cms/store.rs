//! SQL for pages. Every function takes the tenant first; no query runs without it.

use sqlx::{any::AnyRow, Row};

use super::{Page, PageContent, PublishedPage};
use crate::server::{new_id, now_ms, Db, StoreError};

/// Reads stored content. A block this version cannot read (unknown type, bad fields) is
/// skipped and logged, so one bad block never takes a whole page down.
fn content(json: &str) -> Result<PageContent, StoreError> {
    let mut value: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("page content: {e}")))?;
    let stored_blocks = value
        .get_mut("blocks")
        .map(|blocks| std::mem::replace(blocks, serde_json::Value::Array(Vec::new())))
        .unwrap_or_default();
    let mut content: PageContent = serde_json::from_value(value)
        .map_err(|e| StoreError::Corrupt(format!("page content: {e}")))?;
    content.blocks = stored_blocks
        .as_array()
        .map(|blocks| blocks.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|block| match serde_json::from_value(block.clone()) {
            Ok(block) => Some(block),
            Err(err) => {
                tracing::warn!(error = %err, block = %block, "skipping a block that cannot be read");
                None
            }
        })
        .collect();
    Ok(content)
}

fn to_json(content: &PageContent) -> Result<String, StoreError> {
    serde_json::to_string(content).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn page_from_row(row: &AnyRow) -> Result<Page, StoreError> {
    let draft: String = row.try_get("draft")?;
    let published: Option<String> = row.try_get("published")?;
    Ok(Page {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        draft: content(&draft)?,
        published: published.as_deref().map(content).transpose()?,
        updated_at: row.try_get("updated_at")?,
        published_at: row.try_get("published_at")?,
    })
}

const COLUMNS: &str = "id, slug, draft, published, updated_at, published_at";

pub async fn pages_of(db: &Db, tenant_id: &str) -> Result<Vec<Page>, StoreError> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from pages where tenant_id = $1 order by slug"
    ))
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(page_from_row).collect()
}

pub async fn page(db: &Db, tenant_id: &str, id: &str) -> Result<Page, StoreError> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from pages where tenant_id = $1 and id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| StoreError::NotFound("The page".into()))?;
    page_from_row(&row)
}

/// The published content at `slug`, or None when nothing is published there.
pub async fn published_page_by_slug(
    db: &Db,
    tenant_id: &str,
    slug: &str,
) -> Result<Option<PageContent>, StoreError> {
    let json: Option<Option<String>> =
        sqlx::query_scalar("select published from pages where tenant_id = $1 and slug = $2")
            .bind(tenant_id)
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?;
    json.flatten().as_deref().map(content).transpose()
}

/// Every published page of a tenant, by slug.
pub async fn published_pages(db: &Db, tenant_id: &str) -> Result<Vec<PublishedPage>, StoreError> {
    let rows = sqlx::query(
        "select slug, published, published_at from pages \
         where tenant_id = $1 and published is not null order by slug",
    )
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let published: String = row.try_get("published")?;
            Ok(PublishedPage {
                slug: row.try_get("slug")?,
                content: content(&published)?,
                published_at: row
                    .try_get::<Option<i64>, _>("published_at")?
                    .unwrap_or_default(),
            })
        })
        .collect()
}

pub async fn create_page(
    db: &Db,
    tenant_id: &str,
    slug: &str,
    draft: &PageContent,
    publish: bool,
) -> Result<Page, StoreError> {
    let id = new_id();
    let now = now_ms();
    let json = to_json(draft)?;
    sqlx::query(
        "insert into pages (tenant_id, id, slug, draft, published, created_at, updated_at, published_at) \
         values ($1, $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(tenant_id)
    .bind(&id)
    .bind(slug)
    .bind(&json)
    .bind(publish.then_some(json.clone()))
    .bind(now)
    .bind(publish.then_some(now))
    .execute(&db.pool)
    .await
    .map_err(|e| match StoreError::from(e) {
        err if err.is_unique_violation() => {
            StoreError::Conflict(format!("A page already exists at /{slug}."))
        }
        err => err,
    })?;
    page(db, tenant_id, &id).await
}

pub async fn save_draft(
    db: &Db,
    tenant_id: &str,
    id: &str,
    draft: &PageContent,
) -> Result<Page, StoreError> {
    let done = sqlx::query(
        "update pages set draft = $3, updated_at = $4 where tenant_id = $1 and id = $2",
    )
    .bind(tenant_id)
    .bind(id)
    .bind(to_json(draft)?)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("The page".into()));
    }
    page(db, tenant_id, id).await
}

/// Makes the draft what the site shows.
pub async fn publish(db: &Db, tenant_id: &str, id: &str) -> Result<Page, StoreError> {
    let now = now_ms();
    let done = sqlx::query(
        "update pages set published = draft, published_at = $3, updated_at = $3 where tenant_id = $1 and id = $2",
    )
    .bind(tenant_id)
    .bind(id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("The page".into()));
    }
    page(db, tenant_id, id).await
}
