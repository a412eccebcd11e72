//! Counting and SQL for analytics. Views are counted in memory and flushed in batches;
//! nothing stored identifies a visitor.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::{DayStats, SiteAnalytics, CHART_DAYS, DAY_MS};
use crate::server::db::value_rows;
use crate::server::{now_ms, Db, StoreError};

/// Rows written by one statement when views are flushed. Not more: sqlx finds each of
/// a statement's values on SQLite by a name lookup that walks the statement's list of
/// names, so a statement's binding costs the square of its values (500 rows of five
/// took 2.6 % of the CPU of a 5,000-tenant load).
const ROWS_A_STATEMENT: usize = 100;

/// One page view, as the site saw it.
pub struct PageView<'a> {
    pub path: &'a str,
    pub referrer: &'a str,
    /// What tells visitors apart within a day (IP and user agent); only its salted hash is kept.
    pub visitor_key: &'a str,
}

#[derive(Default)]
struct Pending {
    /// (tenant, day, path, referrer) -> views
    views: HashMap<(String, i64, String, String), i64>,
    /// (tenant, day, visitor hash)
    visitors: HashSet<(String, i64, String)>,
}

/// Counts views in memory and writes them in one transaction per flush, so visitors never
/// wait on (or queue behind) analytics writes.
#[derive(Default)]
pub struct ViewCounter {
    pending: Mutex<Pending>,
    /// Today's salt: (day, salt).
    salt: Mutex<Option<(i64, String)>>,
}

impl ViewCounter {
    /// Counts a view. The visitor is `sha256(daily salt, tenant, key)`: stable for one day
    /// so unique visitors can be counted, useless the day after when the salt is gone.
    pub async fn record(
        &self,
        db: &Db,
        tenant_id: &str,
        view: PageView<'_>,
    ) -> Result<(), StoreError> {
        let day = now_ms().div_euclid(DAY_MS);
        let cached = self.salt.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let salt = match cached {
            Some((salt_day, salt)) if salt_day == day => salt,
            _ => {
                let salt = daily_salt(db, day).await?;
                *self.salt.lock().unwrap_or_else(|e| e.into_inner()) = Some((day, salt.clone()));
                salt
            }
        };
        let visitor = hex(&Sha256::digest(format!(
            "{salt}\n{tenant_id}\n{}",
            view.visitor_key
        )));
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        *pending
            .views
            .entry((
                tenant_id.to_string(),
                day,
                view.path.to_string(),
                view.referrer.to_string(),
            ))
            .or_default() += 1;
        pending
            .visitors
            .insert((tenant_id.to_string(), day, visitor));
        Ok(())
    }

    /// Writes what was counted since the last flush.
    pub async fn flush(&self, db: &Db) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        if pending.views.is_empty() && pending.visitors.is_empty() {
            return Ok(());
        }
        // Many rows a statement: each statement is a round trip (on SQLite, a hand-off to
        // the connection's thread), and a busy site counts thousands of paths a minute.
        let mut tx = db.begin().await?;
        let views: Vec<_> = pending.views.iter().collect();
        for rows in views.chunks(ROWS_A_STATEMENT) {
            let sql = format!(
                "insert into page_views (tenant_id, day, path, referrer, views) values {} \
                 on conflict (tenant_id, day, path, referrer) \
                 do update set views = page_views.views + excluded.views",
                value_rows(5, rows.len())
            );
            let mut query = sqlx::query(&sql);
            for ((tenant_id, day, path, referrer), views) in rows {
                query = query
                    .bind(tenant_id)
                    .bind(day)
                    .bind(path)
                    .bind(referrer)
                    .bind(**views);
            }
            query.execute(&mut *tx).await?;
        }
        let visitors: Vec<_> = pending.visitors.iter().collect();
        for rows in visitors.chunks(ROWS_A_STATEMENT) {
            let sql = format!(
                "insert into daily_visitors (tenant_id, day, visitor) values {} \
                 on conflict (tenant_id, day, visitor) do nothing",
                value_rows(3, rows.len())
            );
            let mut query = sqlx::query(&sql);
            for (tenant_id, day, visitor) in rows {
                query = query.bind(tenant_id).bind(day).bind(visitor);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Today's salt, made by whichever process needs it first; older salts are deleted.
async fn daily_salt(db: &Db, day: i64) -> Result<String, StoreError> {
    let fresh = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    sqlx::query(
        "insert into analytics_salts (day, salt) values ($1, $2) on conflict (day) do nothing",
    )
    .bind(day)
    .bind(fresh)
    .execute(&db.pool)
    .await?;
    sqlx::query("delete from analytics_salts where day < $1")
        .bind(day)
        .execute(&db.pool)
        .await?;
    Ok(
        sqlx::query_scalar("select salt from analytics_salts where day = $1")
            .bind(day)
            .fetch_one(&db.pool)
            .await?,
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The last `CHART_DAYS` days of a tenant's site.
pub async fn site_analytics(db: &Db, tenant_id: &str) -> Result<SiteAnalytics, StoreError> {
    let today = now_ms().div_euclid(DAY_MS);
    let first = today - CHART_DAYS + 1;
    let views: Vec<(i64, i64)> = sqlx::query_as(
        "select day, cast(sum(views) as bigint) as views from page_views \
         where tenant_id = $1 and day >= $2 group by day",
    )
    .bind(tenant_id)
    .bind(first)
    .fetch_all(&db.pool)
    .await?;
    let visitors: Vec<(i64, i64)> = sqlx::query_as(
        "select day, count(*) as visitors from daily_visitors where tenant_id = $1 and day >= $2 group by day",
    )
    .bind(tenant_id)
    .bind(first)
    .fetch_all(&db.pool)
    .await?;
    let mut days: Vec<DayStats> = (first..=today)
        .map(|day| DayStats {
            day,
            views: 0,
            visitors: 0,
        })
        .collect();
    for (day, views) in views {
        if let Some(stats) = days.iter_mut().find(|d| d.day == day) {
            stats.views = views;
        }
    }
    for (day, visitors) in visitors {
        if let Some(stats) = days.iter_mut().find(|d| d.day == day) {
            stats.visitors = visitors;
        }
    }
    let top = |column: &'static str| {
        let sql = format!(
            "select {column} as name, cast(sum(views) as bigint) as total from page_views \
             where tenant_id = $1 and day >= $2 and {column} <> '' \
             group by {column} order by total desc, name limit 10"
        );
        async move {
            sqlx::query_as::<_, (String, i64)>(&sql)
                .bind(tenant_id)
                .bind(first)
                .fetch_all(&db.pool)
                .await
                .map_err(StoreError::from)
        }
    };
    Ok(SiteAnalytics {
        days,
        top_pages: top("path").await?,
        top_referrers: top("referrer").await?,
    })
}
