//! SQL for pages, posts and products. Every function takes the tenant first; no query
//! runs without it. The collection's table name comes from its `Content` type, never
//! from input.

use sqlx::{any::AnyRow, AnyConnection, Row};

use super::{Content, Document, Published};
use crate::server::{new_id, now_ms, Db, StoreError};

fn read<C: Content>(json: &str) -> Result<C, StoreError> {
    C::from_stored(json).map_err(|e| StoreError::Corrupt(format!("{}: {e}", C::NOUN)))
}

fn to_json<C: Content>(content: &C) -> Result<String, StoreError> {
    serde_json::to_string(content).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn not_found<C: Content>() -> StoreError {
    StoreError::NotFound(format!("The {}", C::NOUN))
}

const COLUMNS: &str = "id, slug, draft, published, updated_at, published_at, first_published_at";

fn document_from_row<C: Content>(row: &AnyRow) -> Result<Document<C>, StoreError> {
    let draft: String = row.try_get("draft")?;
    let published: Option<String> = row.try_get("published")?;
    Ok(Document {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        draft: read(&draft)?,
        published: published.as_deref().map(read).transpose()?,
        updated_at: row.try_get("updated_at")?,
        published_at: row.try_get("published_at")?,
        first_published_at: row.try_get("first_published_at")?,
    })
}

const PUBLISHED_COLUMNS: &str = "id, slug, published, published_at, first_published_at";

fn published_from_row<C: Content>(row: &AnyRow) -> Result<Published<C>, StoreError> {
    let published: String = row.try_get("published")?;
    let published_at: Option<i64> = row.try_get("published_at")?;
    let first: Option<i64> = row.try_get("first_published_at")?;
    Ok(Published {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        content: read(&published)?,
        published_at: published_at.unwrap_or_default(),
        first_published_at: first.or(published_at).unwrap_or_default(),
    })
}

/// Every document of a kind, drafts included, by slug.
pub async fn documents<C: Content>(
    db: &Db,
    tenant_id: &str,
) -> Result<Vec<Document<C>>, StoreError> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from {} where tenant_id = $1 order by slug",
        C::TABLE
    ))
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(document_from_row).collect()
}

pub async fn document<C: Content>(
    db: &Db,
    tenant_id: &str,
    id: &str,
) -> Result<Document<C>, StoreError> {
    let mut conn = db.pool.acquire().await?;
    document_in(&mut conn, tenant_id, id).await
}

async fn document_in<C: Content>(
    conn: &mut AnyConnection,
    tenant_id: &str,
    id: &str,
) -> Result<Document<C>, StoreError> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from {} where tenant_id = $1 and id = $2",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(not_found::<C>)?;
    document_from_row(&row)
}

/// What the site shows at `slug`, or None when nothing is published there.
pub async fn published_by_slug<C: Content>(
    db: &Db,
    tenant_id: &str,
    slug: &str,
) -> Result<Option<Published<C>>, StoreError> {
    let row = sqlx::query(&format!(
        "select {PUBLISHED_COLUMNS} from {} \
         where tenant_id = $1 and slug = $2 and published is not null",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(published_from_row).transpose()
}

/// Every published document of a kind, by slug (for the sitemap).
pub async fn published<C: Content>(
    db: &Db,
    tenant_id: &str,
) -> Result<Vec<Published<C>>, StoreError> {
    let rows = sqlx::query(&format!(
        "select {PUBLISHED_COLUMNS} from {} \
         where tenant_id = $1 and published is not null order by slug",
        C::TABLE
    ))
    .bind(tenant_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(published_from_row).collect()
}

/// One page of a list, newest first.
pub struct Listing<C> {
    pub items: Vec<Published<C>>,
    /// How many there are in all (for "page 2 of 5").
    pub total: i64,
}

/// Published documents newest first, optionally only those with a tag.
pub async fn newest<C: Content>(
    db: &Db,
    tenant_id: &str,
    tag: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Listing<C>, StoreError> {
    let table = C::TABLE;
    let tagged = if tag.is_some() {
        format!(
            "and exists (select 1 from tags t where t.tenant_id = d.tenant_id \
             and t.collection = '{table}' and t.document_id = d.id and t.tag = $2)"
        )
    } else {
        String::new()
    };
    let filter =
        format!("from {table} d where d.tenant_id = $1 and d.published is not null {tagged}");
    // Limit and offset come after the tenant and, when there is one, the tag.
    let next = if tag.is_some() { 3 } else { 2 };
    let count_sql = format!("select count(*) {filter}");
    let mut count = sqlx::query_scalar(&count_sql).bind(tenant_id);
    let sql = format!(
        "select {PUBLISHED_COLUMNS} {filter} \
         order by d.first_published_at desc, d.id limit ${next} offset ${}",
        next + 1
    );
    let mut rows = sqlx::query(&sql).bind(tenant_id);
    if let Some(tag) = tag {
        count = count.bind(tag);
        rows = rows.bind(tag);
    }
    let total: i64 = count.fetch_one(&db.pool).await?;
    let rows = rows.bind(limit).bind(offset).fetch_all(&db.pool).await?;
    Ok(Listing {
        items: rows
            .iter()
            .map(published_from_row)
            .collect::<Result<_, _>>()?,
        total,
    })
}

/// Published documents at these slugs, in the order given; missing ones are left out.
pub async fn published_with_slugs<C: Content>(
    db: &Db,
    tenant_id: &str,
    slugs: &[String],
) -> Result<Vec<Published<C>>, StoreError> {
    let mut found = Vec::with_capacity(slugs.len());
    for slug in slugs {
        if let Some(document) = published_by_slug(db, tenant_id, slug).await? {
            found.push(document);
        }
    }
    Ok(found)
}

fn slug_taken<C: Content>(slug: &str) -> impl Fn(sqlx::Error) -> StoreError + '_ {
    move |e| match StoreError::from(e) {
        err if err.is_unique_violation() => StoreError::Conflict(format!(
            "Another {} is already at {}.",
            C::NOUN,
            C::path(slug)
        )),
        err => err,
    }
}

pub async fn create<C: Content>(
    db: &Db,
    tenant_id: &str,
    slug: &str,
    draft: &C,
    publish_now: bool,
) -> Result<Document<C>, StoreError> {
    let id = new_id();
    let mut tx = db.pool.begin().await?;
    sqlx::query(&format!(
        "insert into {} (tenant_id, id, slug, draft, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $5)",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(&id)
    .bind(slug)
    .bind(to_json(draft)?)
    .bind(now_ms())
    .execute(&mut *tx)
    .await
    .map_err(slug_taken::<C>(slug))?;
    if publish_now {
        publish_in::<C>(&mut tx, tenant_id, &id).await?;
    }
    let document = document_in(&mut tx, tenant_id, &id).await?;
    tx.commit().await?;
    Ok(document)
}

pub async fn save_draft<C: Content>(
    db: &Db,
    tenant_id: &str,
    id: &str,
    draft: &C,
) -> Result<Document<C>, StoreError> {
    let done = sqlx::query(&format!(
        "update {} set draft = $3, updated_at = $4 where tenant_id = $1 and id = $2",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(id)
    .bind(to_json(draft)?)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(not_found::<C>());
    }
    document(db, tenant_id, id).await
}

/// Makes the draft what the site shows, and lists it under its tags.
pub async fn publish<C: Content>(
    db: &Db,
    tenant_id: &str,
    id: &str,
) -> Result<Document<C>, StoreError> {
    let mut tx = db.pool.begin().await?;
    publish_in::<C>(&mut tx, tenant_id, id).await?;
    let document = document_in(&mut tx, tenant_id, id).await?;
    tx.commit().await?;
    Ok(document)
}

async fn publish_in<C: Content>(
    conn: &mut AnyConnection,
    tenant_id: &str,
    id: &str,
) -> Result<(), StoreError> {
    let now = now_ms();
    let done = sqlx::query(&format!(
        "update {} set published = draft, published_at = $3, updated_at = $3, \
         first_published_at = coalesce(first_published_at, $3) \
         where tenant_id = $1 and id = $2",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(not_found::<C>());
    }
    let published = document_in::<C>(conn, tenant_id, id).await?.draft;
    sqlx::query("delete from tags where tenant_id = $1 and collection = $2 and document_id = $3")
        .bind(tenant_id)
        .bind(C::TABLE)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for tag in published.tag_index() {
        sqlx::query(
            "insert into tags (tenant_id, collection, document_id, tag) values ($1, $2, $3, $4)",
        )
        .bind(tenant_id)
        .bind(C::TABLE)
        .bind(id)
        .bind(tag)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Moves a document to a new slug. When the old address was live, it now answers with a
/// permanent redirect, and older redirects to it point straight at the new one.
pub async fn change_slug<C: Content>(
    db: &Db,
    tenant_id: &str,
    id: &str,
    slug: &str,
) -> Result<Document<C>, StoreError> {
    let mut tx = db.pool.begin().await?;
    let before = document_in::<C>(&mut tx, tenant_id, id).await?;
    if before.slug == slug {
        return Ok(before);
    }
    sqlx::query(&format!(
        "update {} set slug = $3, updated_at = $4 where tenant_id = $1 and id = $2",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(id)
    .bind(slug)
    .bind(now_ms())
    .execute(&mut *tx)
    .await
    .map_err(slug_taken::<C>(slug))?;
    if before.published.is_some() {
        let (from, to) = (before.path(), C::path(slug));
        sqlx::query("update redirects set to_path = $3 where tenant_id = $1 and to_path = $2")
            .bind(tenant_id)
            .bind(&from)
            .bind(&to)
            .execute(&mut *tx)
            .await?;
        // The new address is live now; a redirect away from it would loop.
        sqlx::query(
            "delete from redirects where tenant_id = $1 and (from_path = $2 or from_path = $3)",
        )
        .bind(tenant_id)
        .bind(&to)
        .bind(&from)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into redirects (tenant_id, from_path, to_path, created_at) values ($1, $2, $3, $4)",
        )
        .bind(tenant_id)
        .bind(&from)
        .bind(&to)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    let document = document_in(&mut tx, tenant_id, id).await?;
    tx.commit().await?;
    Ok(document)
}

/// Where an old address now lives, if it moved.
pub async fn redirect_for(
    db: &Db,
    tenant_id: &str,
    path: &str,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("select to_path from redirects where tenant_id = $1 and from_path = $2")
            .bind(tenant_id)
            .bind(path)
            .fetch_optional(&db.pool)
            .await?,
    )
}
