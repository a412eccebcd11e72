//! SQL for pages, posts and products. Every function takes the tenant first; no query
//! runs without it. The collection's table name comes from its `Content` type, never
//! from input.

use std::sync::LazyLock;

use sqlx::{any::AnyRow, AnyConnection, Row};

use super::content::describe_changes;
use super::{
    AuditEntry, Content, Document, PageContent, ProductContent, Published, VersionSummary,
    MAX_ITEMS,
};
use crate::server::{new_id, now_ms, Backend, Db, StoreError};
use crate::signals::{commit, Signal};

/// Who makes a change: a member, or the platform itself (demo content, scheduled jobs).
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user_id: Option<&'a str>,
    pub name: &'a str,
}

impl Actor<'static> {
    pub const PLATFORM: Actor<'static> = Actor {
        user_id: None,
        name: "BizOSaaS",
    };
}

fn read<C: Content>(json: &str) -> Result<C, StoreError> {
    C::from_stored(json).map_err(|e| StoreError::Corrupt(format!("{}: {e}", C::NOUN)))
}

fn to_json<C: Content>(content: &C) -> Result<String, StoreError> {
    serde_json::to_string(content).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn not_found<C: Content>() -> StoreError {
    StoreError::NotFound(format!("The {}", C::NOUN))
}

const COLUMNS: &str =
    "id, slug, draft, published, updated_at, published_at, first_published_at, revision";

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
        revision: row.try_get("revision")?,
    })
}

const PUBLISHED_COLUMNS: &str = "id, slug, published, published_at, first_published_at";

/// A published document's row as stored (`PUBLISHED_COLUMNS`, in order).
type PublishedColumns = (String, String, String, Option<i64>, Option<i64>);

fn published_from_columns<C: Content>(
    (id, slug, published, published_at, first_published_at): PublishedColumns,
) -> Result<Published<C>, StoreError> {
    published_from_parts(id, slug, &published, published_at, first_published_at)
}

fn published_from_parts<C: Content>(
    id: String,
    slug: String,
    published: &str,
    published_at: Option<i64>,
    first_published_at: Option<i64>,
) -> Result<Published<C>, StoreError> {
    Ok(Published {
        id,
        slug,
        content: read(published)?,
        published_at: published_at.unwrap_or_default(),
        first_published_at: first_published_at.or(published_at).unwrap_or_default(),
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
    let sql = format!(
        "select {PUBLISHED_COLUMNS} from {} \
         where tenant_id = $1 and slug = $2 and published is not null",
        C::TABLE
    );
    let row: Option<PublishedColumns> = db.site_row(&sql, &[tenant_id, slug]).await?;
    row.map(published_from_columns).transpose()
}

/// A published page and, when it has a product grid, the newest published products (as
/// many as a grid can show, newest first), in one statement and one row. This is what a
/// site's cache miss reads: one statement rather than two halved a miss's cost through
/// sqlx on SQLite, and on an SQLite file it is read on this thread (`SqliteReads`), with
/// no hand-off at all (docs/performance.md).
pub async fn published_page_with_products(
    db: &Db,
    tenant_id: &str,
    slug: &str,
) -> Result<Option<(Published<PageContent>, Vec<Published<ProductContent>>)>, StoreError> {
    static SQLITE: LazyLock<String> = LazyLock::new(|| page_with_products_sql(Backend::Sqlite));
    static POSTGRES: LazyLock<String> = LazyLock::new(|| page_with_products_sql(Backend::Postgres));
    // The page's columns, then its grid's products as one JSON array.
    type Columns = (
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
    );
    let sql = match db.backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    };
    let row: Option<Columns> = db.site_row(sql, &[tenant_id, slug]).await?;
    let Some((id, slug, published, published_at, first_published_at, newest)) = row else {
        return Ok(None);
    };
    // Each product is a JSON array of its columns, the content a string.
    let newest: Vec<PublishedColumns> = match newest.as_deref() {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| StoreError::Corrupt(format!("newest products: {e}")))?,
        None => Vec::new(),
    };
    Ok(Some((
        published_from_parts(id, slug, &published, published_at, first_published_at)?,
        newest
            .into_iter()
            .map(published_from_columns)
            .collect::<Result<_, _>>()?,
    )))
}

fn page_with_products_sql(backend: Backend) -> String {
    let newest = match backend {
        Backend::Sqlite => format!(
            "json_group_array(json_array({PUBLISHED_COLUMNS}) \
             order by first_published_at desc, id)"
        ),
        Backend::Postgres => format!(
            "json_agg(json_build_array({PUBLISHED_COLUMNS}) \
             order by first_published_at desc, id)::text"
        ),
    };
    // The `like` only decides whether products are read at all; which of them the page
    // shows is decided once its blocks are parsed.
    let (pages, products) = (PageContent::TABLE, ProductContent::TABLE);
    format!(
        "select {PUBLISHED_COLUMNS}, \
           (select {newest} from (select {PUBLISHED_COLUMNS} from {products} n \
              where n.tenant_id = $1 and n.published is not null \
              and p.published like '%product_grid%' \
              order by n.first_published_at desc, n.id limit {MAX_ITEMS}) as latest) as newest \
         from {pages} p where p.tenant_id = $1 and p.slug = $2 and p.published is not null"
    )
}

/// Every published document of a kind, by slug (for the sitemap).
pub async fn published<C: Content>(
    db: &Db,
    tenant_id: &str,
) -> Result<Vec<Published<C>>, StoreError> {
    let sql = format!(
        "select {PUBLISHED_COLUMNS} from {} \
         where tenant_id = $1 and published is not null order by slug",
        C::TABLE
    );
    let rows: Vec<PublishedColumns> = db.site_rows(&sql, &[tenant_id]).await?;
    rows.into_iter().map(published_from_columns).collect()
}

/// One page of a list, newest first.
pub struct Listing<C> {
    pub items: Vec<Published<C>>,
    /// How many there are in all (for "page 2 of 5").
    pub total: i64,
}

/// Published documents newest first, optionally only those with a tag, and how many
/// there are in all (for paging).
pub async fn newest<C: Content>(
    db: &Db,
    tenant_id: &str,
    tag: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Listing<C>, StoreError> {
    let sql = format!("select count(*) {}", published_filter::<C>(tag));
    let mut count = sqlx::query_scalar(&sql).bind(tenant_id);
    if let Some(tag) = tag {
        count = count.bind(tag);
    }
    let total: i64 = count.fetch_one(&db.pool).await?;
    Ok(Listing {
        items: newest_items(db, tenant_id, tag, offset, limit).await?,
        total,
    })
}

/// The newest published documents without the count: what a "latest N" grid needs.
pub async fn newest_items<C: Content>(
    db: &Db,
    tenant_id: &str,
    tag: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<Published<C>>, StoreError> {
    // Limit and offset come after the tenant and, when there is one, the tag.
    let next = if tag.is_some() { 3 } else { 2 };
    let sql = format!(
        "select {PUBLISHED_COLUMNS} {} \
         order by d.first_published_at desc, d.id limit ${next} offset ${}",
        published_filter::<C>(tag),
        next + 1
    );
    let mut rows = sqlx::query_as::<_, PublishedColumns>(&sql).bind(tenant_id);
    if let Some(tag) = tag {
        rows = rows.bind(tag);
    }
    let rows = rows.bind(limit).bind(offset).fetch_all(&db.pool).await?;
    rows.into_iter().map(published_from_columns).collect()
}

/// `from … where …` of a tenant's published documents ($1), with a tag ($2) when given.
fn published_filter<C: Content>(tag: Option<&str>) -> String {
    let table = C::TABLE;
    let tagged = if tag.is_some() {
        format!(
            "and exists (select 1 from tags t where t.tenant_id = d.tenant_id \
             and t.collection = '{table}' and t.document_id = d.id and t.tag = $2)"
        )
    } else {
        String::new()
    };
    format!("from {table} d where d.tenant_id = $1 and d.published is not null {tagged}")
}

/// Published documents at these slugs, in the order given; missing ones are left out.
pub async fn published_with_slugs<C: Content>(
    db: &Db,
    tenant_id: &str,
    slugs: &[String],
) -> Result<Vec<Published<C>>, StoreError> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select {PUBLISHED_COLUMNS} from {} \
         where tenant_id = $1 and published is not null and slug in ({})",
        C::TABLE,
        crate::server::db::placeholders(2, slugs.len())
    );
    let values: Vec<&str> = std::iter::once(tenant_id)
        .chain(slugs.iter().map(String::as_str))
        .collect();
    let rows: Vec<PublishedColumns> = db.site_rows(&sql, &values).await?;
    let mut found = rows
        .into_iter()
        .map(published_from_columns)
        .collect::<Result<Vec<_>, _>>()?;
    // In the order asked for.
    found.sort_by_key(|document| slugs.iter().position(|slug| *slug == document.slug));
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
    actor: Actor<'_>,
    slug: &str,
    draft: &C,
    publish_now: bool,
) -> Result<Document<C>, StoreError> {
    let id = new_id();
    let json = to_json(draft)?;
    let mut tx = db.begin().await?;
    sqlx::query(&format!(
        "insert into {} (tenant_id, id, slug, draft, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $5)",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(&id)
    .bind(slug)
    .bind(&json)
    .bind(now_ms())
    .execute(&mut *tx)
    .await
    .map_err(slug_taken::<C>(slug))?;
    let change = Change::<C>::new(tenant_id, &id, actor, draft.title());
    change.keep_version(&mut tx, "created", slug, &json).await?;
    change.audit(&mut tx, "created").await?;
    if publish_now {
        publish_in::<C>(&mut tx, tenant_id, &id).await?;
        change
            .keep_version(&mut tx, "published", slug, &json)
            .await?;
        change.audit(&mut tx, "published").await?;
    }
    let document = document_in(&mut tx, tenant_id, &id).await?;
    if publish_now {
        commit(db, tx, Signal::site(tenant_id)).await?;
    } else {
        tx.commit().await?;
    }
    Ok(document)
}

/// Saves a new draft, unless someone saved since `base_revision` (the revision the
/// editor started from): then nothing is written and the conflict says who and when.
pub async fn save_draft<C: Content>(
    db: &Db,
    tenant_id: &str,
    actor: Actor<'_>,
    id: &str,
    base_revision: i64,
    draft: &C,
) -> Result<Document<C>, StoreError> {
    let json = to_json(draft)?;
    let mut tx = db.begin().await?;
    let done = sqlx::query(&format!(
        "update {} set draft = $3, updated_at = $4, revision = revision + 1 \
         where tenant_id = $1 and id = $2 and revision = $5",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(id)
    .bind(&json)
    .bind(now_ms())
    .bind(base_revision)
    .execute(&mut *tx)
    .await?;
    let current = document_in::<C>(&mut tx, tenant_id, id).await?;
    if done.rows_affected() == 0 {
        return Err(conflict::<C>(&mut tx, tenant_id, &current).await?);
    }
    let change = Change::<C>::new(tenant_id, id, actor, draft.title());
    change
        .keep_version(&mut tx, "saved", &current.slug, &json)
        .await?;
    change.audit(&mut tx, "edited").await?;
    tx.commit().await?;
    Ok(current)
}

/// Why a save was refused, naming who saved last and when.
async fn conflict<C: Content>(
    conn: &mut AnyConnection,
    tenant_id: &str,
    current: &Document<C>,
) -> Result<StoreError, StoreError> {
    let last: Option<(String, i64)> = sqlx::query_as(
        "select author_name, created_at from document_versions \
         where tenant_id = $1 and collection = $2 and document_id = $3 \
         and action in ('created', 'saved', 'restored') order by number desc limit 1",
    )
    .bind(tenant_id)
    .bind(C::TABLE)
    .bind(&current.id)
    .fetch_optional(&mut *conn)
    .await?;
    let who = last.map_or_else(
        || "Someone else".to_string(),
        |(name, at)| format!("{name} ({})", crate::time::day_time_label(at)),
    );
    Ok(StoreError::Conflict(format!(
        "{who} saved this {} after you opened it (it is now at revision {}). \
         Your changes are not saved: copy them, reload to see the other version, then apply them again.",
        C::NOUN,
        current.revision
    )))
}

/// Makes the draft what the site shows, and lists it under its tags.
pub async fn publish<C: Content>(
    db: &Db,
    tenant_id: &str,
    actor: Actor<'_>,
    id: &str,
) -> Result<Document<C>, StoreError> {
    let mut tx = db.begin().await?;
    publish_in::<C>(&mut tx, tenant_id, id).await?;
    let document = document_in::<C>(&mut tx, tenant_id, id).await?;
    let change = Change::<C>::new(tenant_id, id, actor, document.draft.title());
    change
        .keep_version(
            &mut tx,
            "published",
            &document.slug,
            &to_json(&document.draft)?,
        )
        .await?;
    change.audit(&mut tx, "published").await?;
    commit(db, tx, Signal::site(tenant_id)).await?;
    Ok(document)
}

/// Takes a document off the site; its draft and versions stay.
pub async fn unpublish<C: Content>(
    db: &Db,
    tenant_id: &str,
    actor: Actor<'_>,
    id: &str,
) -> Result<Document<C>, StoreError> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(&format!(
        "update {} set published = null, published_at = null, updated_at = $3 \
         where tenant_id = $1 and id = $2",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(not_found::<C>());
    }
    untag(&mut tx, tenant_id, C::TABLE, id).await?;
    let document = document_in::<C>(&mut tx, tenant_id, id).await?;
    Change::<C>::new(tenant_id, id, actor, document.draft.title())
        .audit(&mut tx, "unpublished")
        .await?;
    commit(db, tx, Signal::site(tenant_id)).await?;
    Ok(document)
}

/// Makes a kept version the draft again (as a new revision; the site changes on publish).
pub async fn restore<C: Content>(
    db: &Db,
    tenant_id: &str,
    actor: Actor<'_>,
    id: &str,
    number: i64,
) -> Result<Document<C>, StoreError> {
    let mut tx = db.begin().await?;
    let json: String = sqlx::query_scalar(
        "select content from document_versions \
         where tenant_id = $1 and collection = $2 and document_id = $3 and number = $4",
    )
    .bind(tenant_id)
    .bind(C::TABLE)
    .bind(id)
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| StoreError::NotFound("That version".into()))?;
    let content: C = read(&json)?;
    sqlx::query(&format!(
        "update {} set draft = $3, updated_at = $4, revision = revision + 1 \
         where tenant_id = $1 and id = $2",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(id)
    .bind(&json)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let document = document_in::<C>(&mut tx, tenant_id, id).await?;
    let change = Change::<C>::new(tenant_id, id, actor, content.title());
    change
        .keep_version(&mut tx, "restored", &document.slug, &json)
        .await?;
    change.audit(&mut tx, "restored").await?;
    tx.commit().await?;
    Ok(document)
}

/// Deletes a document with its versions and tags; the audit log keeps the fact.
pub async fn delete<C: Content>(
    db: &Db,
    tenant_id: &str,
    actor: Actor<'_>,
    id: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let document = document_in::<C>(&mut tx, tenant_id, id).await?;
    sqlx::query(&format!(
        "delete from {} where tenant_id = $1 and id = $2",
        C::TABLE
    ))
    .bind(tenant_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    untag(&mut tx, tenant_id, C::TABLE, id).await?;
    sqlx::query(
        "delete from document_versions where tenant_id = $1 and collection = $2 and document_id = $3",
    )
    .bind(tenant_id)
    .bind(C::TABLE)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Change::<C>::new(tenant_id, id, actor, document.draft.title())
        .audit(&mut tx, "deleted")
        .await?;
    commit(db, tx, Signal::site(tenant_id)).await?;
    Ok(())
}

async fn untag(
    conn: &mut AnyConnection,
    tenant_id: &str,
    table: &str,
    id: &str,
) -> Result<(), StoreError> {
    sqlx::query("delete from tags where tenant_id = $1 and collection = $2 and document_id = $3")
        .bind(tenant_id)
        .bind(table)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
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
    untag(conn, tenant_id, C::TABLE, id).await?;
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

/// One change to one document: keeps its version and writes the audit log.
struct Change<'a, C> {
    tenant_id: &'a str,
    id: &'a str,
    actor: Actor<'a>,
    title: &'a str,
    kind: std::marker::PhantomData<C>,
}

impl<'a, C: Content> Change<'a, C> {
    fn new(tenant_id: &'a str, id: &'a str, actor: Actor<'a>, title: &'a str) -> Self {
        Change {
            tenant_id,
            id,
            actor,
            title,
            kind: std::marker::PhantomData,
        }
    }

    async fn keep_version(
        &self,
        conn: &mut AnyConnection,
        action: &str,
        slug: &str,
        content: &str,
    ) -> Result<(), StoreError> {
        let next: i64 = sqlx::query_scalar(
            "select coalesce(max(number), 0) + 1 from document_versions \
             where tenant_id = $1 and collection = $2 and document_id = $3",
        )
        .bind(self.tenant_id)
        .bind(C::TABLE)
        .bind(self.id)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "insert into document_versions (tenant_id, collection, document_id, number, action, \
             slug, content, author_id, author_name, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(self.tenant_id)
        .bind(C::TABLE)
        .bind(self.id)
        .bind(next)
        .bind(action)
        .bind(slug)
        .bind(content)
        .bind(self.actor.user_id)
        .bind(self.actor.name)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
        // Retention: the newest unpublished versions, as many as the site keeps; every
        // published version stays.
        let settings: String =
            sqlx::query_scalar("select site_settings from tenants where id = $1")
                .bind(self.tenant_id)
                .fetch_one(&mut *conn)
                .await?;
        let kept = serde_json::from_str(&settings)
            .and_then(crate::server::db::stored_json::<crate::tenancy::SiteSettings>)
            .map(|s| s.versions_kept)
            .unwrap_or(50);
        sqlx::query(
            "delete from document_versions where tenant_id = $1 and collection = $2 \
             and document_id = $3 and action <> 'published' and number not in \
             (select number from document_versions where tenant_id = $1 and collection = $2 \
              and document_id = $3 and action <> 'published' order by number desc limit $4)",
        )
        .bind(self.tenant_id)
        .bind(C::TABLE)
        .bind(self.id)
        .bind(i64::from(kept))
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    async fn audit(&self, conn: &mut AnyConnection, action: &str) -> Result<(), StoreError> {
        sqlx::query(
            "insert into audit_log (tenant_id, id, at, user_id, user_name, action, collection, \
             document_id, title) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(self.tenant_id)
        .bind(new_id())
        .bind(now_ms())
        .bind(self.actor.user_id)
        .bind(self.actor.name)
        .bind(action)
        .bind(C::TABLE)
        .bind(self.id)
        .bind(self.title)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

/// The kept versions of a document, newest first, each with what it changed.
pub async fn versions<C: Content>(
    db: &Db,
    tenant_id: &str,
    id: &str,
) -> Result<Vec<VersionSummary>, StoreError> {
    // The document must be this tenant's; its versions are read with the same key.
    document::<C>(db, tenant_id, id).await?;
    let rows: Vec<(i64, String, String, i64, String, String)> = sqlx::query_as(
        "select number, action, author_name, created_at, slug, content from document_versions \
         where tenant_id = $1 and collection = $2 and document_id = $3 order by number",
    )
    .bind(tenant_id)
    .bind(C::TABLE)
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut versions = Vec::with_capacity(rows.len());
    let mut previous = serde_json::Value::Null;
    let mut previous_slug: Option<String> = None;
    for (number, action, author, created_at, slug, content) in rows {
        let content: serde_json::Value = serde_json::from_str(&content)
            .map_err(|e| StoreError::Corrupt(format!("version: {e}")))?;
        let mut changes = if previous.is_null() {
            Vec::new()
        } else {
            describe_changes(&previous, &content)
        };
        if previous_slug.as_ref().is_some_and(|s| *s != slug) {
            changes.push(format!("Address changed to {}", C::path(&slug)));
        }
        versions.push(VersionSummary {
            number,
            action,
            author,
            created_at,
            slug: slug.clone(),
            changes,
        });
        previous = content;
        previous_slug = Some(slug);
    }
    versions.reverse();
    Ok(versions)
}

/// The newest entries of a tenant's audit log.
pub async fn audit_log(
    db: &Db,
    tenant_id: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(sqlx::query_as(
        "select at, user_name, action, collection, document_id, title from audit_log \
         where tenant_id = $1 order by at desc, id limit $2 offset $3",
    )
    .bind(tenant_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?)
}

/// Moves a document to a new slug. When the old address was live, it now answers with a
/// permanent redirect, and older redirects to it point straight at the new one.
pub async fn change_slug<C: Content>(
    db: &Db,
    tenant_id: &str,
    actor: Actor<'_>,
    id: &str,
    slug: &str,
) -> Result<Document<C>, StoreError> {
    let mut tx = db.begin().await?;
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
    let document = document_in::<C>(&mut tx, tenant_id, id).await?;
    Change::<C>::new(tenant_id, id, actor, document.draft.title())
        .audit(&mut tx, "moved")
        .await?;
    if document.published.is_some() {
        commit(db, tx, Signal::site(tenant_id)).await?;
    } else {
        tx.commit().await?;
    }
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
