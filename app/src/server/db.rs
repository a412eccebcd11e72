//! One SQL code path for SQLite (embedded default) and PostgreSQL, through sqlx `Any`.

use std::str::FromStr;
use std::sync::Arc;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::Executor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    pub url: String,
    /// What features keep for the whole process (the feed's hub, the page cache...), so
    /// a store call that commits a change can tell them (`signals::publish`).
    pub parts: Parts,
    /// On an SQLite file: connections for the reads a site's visitors cause.
    reads: Option<Arc<SqliteReads>>,
}

/// Feature state by type: one value of each type, added when the server starts
/// (`Db::with_parts`) and read by the feature that owns the type (`Db::part`). This
/// module knows none of the types.
#[derive(Clone, Default)]
pub struct Parts(Arc<http::Extensions>);

impl Parts {
    pub fn with<T: Send + Sync + 'static>(mut self, part: T) -> Parts {
        Arc::make_mut(&mut self.0).insert(Arc::new(part));
        self
    }

    /// The part of type `T`, if this process has one (a command such as `seed` has no
    /// page cache to clear).
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.0.get::<Arc<T>>().map(|part| &**part)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A value the caller passed cannot be stored (the message says why).
    #[error("{0}")]
    Invalid(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    SqliteRead(#[from] rusqlite::Error),
}

impl StoreError {
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

impl Db {
    /// Connects, creating the SQLite file (and its folder) when missing.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| {
            sqlx::Error::Configuration(
                format!("DATABASE_URL must start with sqlite: or postgres:, not {url:?}").into(),
            )
        })?;
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_file(url)?,
            Backend::Postgres => url.to_string(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 10,
            })
            // A connection to an embedded file cannot drop, and pinging an idle one before
            // a statement is one more round trip to its thread and back. A
            // server's connection can drop, so it is tested.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA busy_timeout = 5000",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA synchronous = NORMAL",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let reads = match backend {
            Backend::Sqlite => SqliteReads::of_url(&url)?.map(Arc::new),
            Backend::Postgres => None,
        };
        Ok(Db {
            pool,
            backend,
            url,
            parts: Parts::default(),
            reads,
        })
    }

    /// Connections for a quick read on this thread, on an SQLite file (None on
    /// PostgreSQL, or SQLite in memory: use the pool).
    pub fn sqlite_reads(&self) -> Option<&SqliteReads> {
        self.reads.as_deref()
    }

    /// The rows of a read a site's visitor causes (its cache misses), columns by position:
    /// on an SQLite file read on this thread (`SqliteReads`), else through the pool.
    /// `values` are bound to `$1`, `$2`, ... in order.
    pub async fn site_rows<R: SiteRow>(
        &self,
        sql: &str,
        values: &[&str],
    ) -> Result<Vec<R>, StoreError> {
        if let Some(reads) = self.sqlite_reads() {
            return reads.read(|conn| {
                let mut statement = conn.prepare_cached(sql)?;
                let rows = statement.query_map(rusqlite::params_from_iter(values), R::of_sqlite)?;
                rows.collect()
            });
        }
        let mut query = sqlx::query_as::<_, R>(sql);
        for value in values {
            query = query.bind(*value);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// The first row of `site_rows`, if any: a read of one thing by its key.
    pub async fn site_row<R: SiteRow>(
        &self,
        sql: &str,
        values: &[&str],
    ) -> Result<Option<R>, StoreError> {
        Ok(self.site_rows(sql, values).await?.into_iter().next())
    }

    /// A transaction that will write. On SQLite it takes the write lock at its start
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later would fail at
    /// once ("database is locked", which the busy timeout does not wait out) whenever
    /// another connection committed in between.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// The database as the server holds it, with the features' process state.
    pub fn with_parts(self, parts: Parts) -> Db {
        Db { parts, ..self }
    }

    /// The feature state of type `T`. Every part is added by the one place that builds
    /// the server (`server::Application::build`), so a missing one is a bug found by the
    /// first request of any test, never a visitor's doing.
    pub fn part<T: Send + Sync + 'static>(&self) -> &T {
        match self.parts.get::<T>() {
            Some(part) => part,
            None => panic!(
                "{} was not added to the state (server/src/lib.rs, Application::build)",
                std::any::type_name::<T>()
            ),
        }
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await
            }
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("select 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

fn sqlite_url_creating_file(url: &str) -> Result<String, sqlx::Error> {
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
    let path = options.get_filename();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
    }
    if url.contains("mode=") || path.as_os_str() == ":memory:" {
        Ok(url.to_string())
    } else if url.contains('?') {
        Ok(format!("{url}&mode=rwc"))
    } else {
        Ok(format!("{url}?mode=rwc"))
    }
}

/// Read-only connections to the SQLite file, used on the caller's own thread, for the
/// reads behind a site's cache misses. sqlx runs each SQLite connection on a thread of
/// its own and hands it every statement and every row, several context switches each,
/// which cost more than the indexed read itself (docs/performance.md, "Misses alone").
/// Such a read takes microseconds with the file in the OS's cache, less than drawing
/// the page it is for, which runs on this thread too; readers of a WAL database never
/// wait for its writer, and see every commit made before the statement starts.
pub struct SqliteReads {
    path: std::path::PathBuf,
    /// Idle connections; one per thread that reads at once is kept, more are closed.
    idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
    keep: usize,
}

impl SqliteReads {
    fn of_url(url: &str) -> Result<Option<SqliteReads>, sqlx::Error> {
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
        let path = options.get_filename();
        if url.contains("mode=memory") || path.as_os_str() == ":memory:" {
            return Ok(None);
        }
        Ok(Some(SqliteReads {
            path: path.to_path_buf(),
            idle: std::sync::Mutex::new(Vec::new()),
            keep: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }))
    }

    /// Runs `read` on an idle connection (opened when there is none).
    pub fn read<T>(
        &self,
        read: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.open()?,
        };
        let result = read(&conn);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.keep {
            idle.push(conn);
        }
        Ok(result?)
    }

    fn open(&self) -> rusqlite::Result<rusqlite::Connection> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Never a write through here; a busy database (a WAL reset, rare) is waited out
        // briefly, as this thread has other requests to serve.
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -1000")?;
        conn.busy_timeout(std::time::Duration::from_millis(200))?;
        conn.set_prepared_statement_cache_capacity(16);
        Ok(conn)
    }
}

/// A row of a site's read (`Db::site_rows`): a tuple of its columns' types, decoded by
/// position from either engine's row.
pub trait SiteRow: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin {
    fn of_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

macro_rules! site_row_of {
    ($($column:ident $index:tt),+) => {
        impl<$($column),+> SiteRow for ($($column,)+)
        where
            $($column: rusqlite::types::FromSql
                + for<'r> sqlx::Decode<'r, sqlx::Any>
                + sqlx::Type<sqlx::Any>
                + Send
                + Unpin,)+
        {
            fn of_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Ok(($(row.get::<_, $column>($index)?,)+))
            }
        }
    };
}

// The widths the sites' reads have.
site_row_of!(A 0, B 1, C 2, D 3, E 4);
site_row_of!(A 0, B 1, C 2, D 3, E 4, F 5);
site_row_of!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
site_row_of!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);

/// `$first, $first+1, ...` for `count` values bound in order: the list of an `in (...)`.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, $2), ($3, $4), ...`: `rows` rows of `columns` values bound in order, for a
/// multi-row `insert ... values`.
pub fn value_rows(columns: usize, rows: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", placeholders(row * columns + 1, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `where` clause built condition by condition, each placeholder numbered from the
/// values bound so far, so numbers and values cannot drift apart. For the `$1` style
/// both engines accept (sqlx's `QueryBuilder` writes `?` for `Any`, which PostgreSQL
/// refuses).
#[derive(Default)]
pub struct Conditions {
    sql: String,
    values: Vec<Bound>,
}

enum Bound {
    Number(i64),
    Text(String),
}

impl Conditions {
    /// Adds `{left} $n`, e.g. `and("created_at >=", from)`.
    pub fn and(&mut self, left: &str, value: impl Into<BoundValue>) -> &mut Self {
        self.values.push(value.into().0);
        if !self.sql.is_empty() {
            self.sql.push_str(" and ");
        }
        self.sql.push_str(&format!("{left} ${}", self.values.len()));
        self
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// Binds the values, in the order of their placeholders.
    pub fn bind<'q, O>(
        &'q self,
        mut query: sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        for value in &self.values {
            query = match value {
                Bound::Number(n) => query.bind(*n),
                Bound::Text(t) => query.bind(t.as_str()),
            };
        }
        query
    }

    /// As `bind`, for a query returning rows.
    pub fn bind_rows<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for value in &self.values {
            query = match value {
                Bound::Number(n) => query.bind(*n),
                Bound::Text(t) => query.bind(t.as_str()),
            };
        }
        query
    }
}

/// A JSON column (stored as TEXT), read into a field with
/// `#[sqlx(try_from = "crate::server::db::JsonText")]`; the field's type says how
/// (`TryFrom<JsonText>`), so an unreadable value is a decoding error of that column.
pub struct JsonText(pub String);

impl sqlx::Type<sqlx::Any> for JsonText {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for JsonText {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        <String as sqlx::Decode<'r, sqlx::Any>>::decode(value).map(JsonText)
    }
}

impl TryFrom<JsonText> for serde_json::Value {
    type Error = serde_json::Error;
    fn try_from(json: JsonText) -> Result<Self, serde_json::Error> {
        serde_json::from_str(&json.0)
    }
}

/// `stored_json` of a column's text: read straight into `T` when it is complete (as
/// this version writes it), through the defaults only when that fails. A site's cache
/// miss reads its tenant's JSON this way.
pub fn stored_json_text<T>(text: &str) -> Result<T, serde_json::Error>
where
    T: Default + serde::Serialize + serde::de::DeserializeOwned,
{
    serde_json::from_str(text).or_else(|_| stored_json(serde_json::from_str(text)?))
}

/// JSON stored in a column, read with today's defaults for any field it was written
/// without: types whose saved form must be complete (settings a request replaces
/// whole) still read what older versions stored.
pub fn stored_json<T>(stored: serde_json::Value) -> Result<T, serde_json::Error>
where
    T: Default + serde::Serialize + serde::de::DeserializeOwned,
{
    let mut value = serde_json::to_value(T::default())?;
    match (&mut value, stored) {
        (serde_json::Value::Object(fields), serde_json::Value::Object(stored)) => {
            fields.extend(stored)
        }
        (_, stored) => value = stored,
    }
    serde_json::from_value(value)
}

/// A value a condition compares with.
pub struct BoundValue(Bound);

impl From<i64> for BoundValue {
    fn from(n: i64) -> Self {
        BoundValue(Bound::Number(n))
    }
}

impl From<String> for BoundValue {
    fn from(t: String) -> Self {
        BoundValue(Bound::Text(t))
    }
}

impl From<&str> for BoundValue {
    fn from(t: &str) -> Self {
        BoundValue(Bound::Text(t.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_rows_number_every_value_once_in_order() {
        assert_eq!(super::value_rows(3, 1), "($1, $2, $3)");
        assert_eq!(super::value_rows(2, 3), "($1, $2), ($3, $4), ($5, $6)");
    }

    #[test]
    fn conditions_number_their_placeholders_in_order() {
        let mut conditions = super::Conditions::default();
        conditions
            .and("tenant_id =", "t1")
            .and("created_at >=", 5_i64)
            .and("status =", "failed");
        assert_eq!(
            conditions.sql(),
            "tenant_id = $1 and created_at >= $2 and status = $3"
        );
    }
}
