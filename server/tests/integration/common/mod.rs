//! Spawns the real server on port 0 with a fresh database (SQLite file or a new
//! PostgreSQL database), seeded with the demo tenants, and talks HTTP to it.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use app::server::Db;
use reqwest::header::{HeaderMap, HeaderValue, HOST};
use reqwest::{Client, Response};
use serde_json::Value;
use server::config::Config;
use server::Application;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub const ACME: (&str, &str) = ("owner@acme.test", "acme-demo-2026");
pub const GLOBEX: (&str, &str) = ("owner@globex.test", "globex-demo-2026");

pub struct TestApp {
    pub addr: SocketAddr,
    pub db: Db,
    pub database_url: String,
    /// The DNS server this app's domain checks ask.
    pub dns: std::sync::Arc<DnsServer>,
    stop: CancellationToken,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: TempDir,
}

/// A DNS server on loopback that answers TXT queries (over UDP, in the real wire format)
/// from records a test sets, and NXDOMAIN for anything else.
pub struct DnsServer {
    pub addr: SocketAddr,
    records: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<String>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl DnsServer {
    pub async fn start() -> DnsServer {
        use hickory_proto::op::{Message, MessageType, OpCode, ResponseCode};
        use hickory_proto::rr::{rdata::TXT, RData, Record, RecordType};
        let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = socket.local_addr().unwrap();
        let records = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::<
            String,
            Vec<String>,
        >::new()));
        let table = records.clone();
        let task = tokio::spawn(async move {
            let mut buffer = vec![0u8; 4096];
            loop {
                let Ok((n, peer)) = socket.recv_from(&mut buffer).await else {
                    return;
                };
                let Ok(query) = Message::from_vec(&buffer[..n]) else {
                    continue;
                };
                let mut answer =
                    Message::new(query.metadata.id, MessageType::Response, OpCode::Query);
                answer.metadata.recursion_desired = query.metadata.recursion_desired;
                answer.metadata.recursion_available = true;
                answer.metadata.authoritative = true;
                let mut found = false;
                for question in &query.queries {
                    answer.add_query(question.clone());
                    let name = question
                        .name()
                        .to_string()
                        .trim_end_matches('.')
                        .to_ascii_lowercase();
                    let values = table
                        .lock()
                        .unwrap()
                        .get(&name)
                        .cloned()
                        .unwrap_or_default();
                    if question.query_type() == RecordType::TXT {
                        for value in values {
                            found = true;
                            answer.add_answer(Record::from_rdata(
                                question.name().clone(),
                                60,
                                RData::TXT(TXT::new(vec![value])),
                            ));
                        }
                    }
                }
                if !found {
                    answer.metadata.response_code = ResponseCode::NXDomain;
                }
                if let Ok(bytes) = answer.to_vec() {
                    let _ = socket.send_to(&bytes, peer).await;
                }
            }
        });
        DnsServer {
            addr,
            records,
            task,
        }
    }

    pub fn set_txt(&self, name: &str, value: &str) {
        self.records
            .lock()
            .unwrap()
            .insert(name.to_string(), vec![value.to_string()]);
    }

    pub fn clear(&self, name: &str) {
        self.records.lock().unwrap().remove(name);
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a test made for itself, removed when it ends: a folder, and the PostgreSQL
/// database it ran on (a suite's databases would otherwise fill ~1.3 GB of disk).
pub struct TempDir {
    pub path: std::path::PathBuf,
    /// The admin URL and the name of a PostgreSQL database to drop.
    database: Option<(String, String)>,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
        if let Some((admin_url, name)) = self.database.take() {
            // Drop runs on the test's runtime, which must not be blocked on: a thread with
            // a runtime of its own. `force` ends the connections the server still holds.
            let statement = format!("drop database if exists {name} with (force)");
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async {
                    let admin = Db::connect(&admin_url).await?;
                    sqlx::query(&statement).execute(&admin.pool).await?;
                    admin.pool.close().await;
                    Ok::<_, sqlx::Error>(())
                })
            })
            .join();
            if let Ok(Err(e)) = dropped {
                eprintln!("could not drop the test database {name}: {e}");
            }
        }
    }
}

/// The URL of a fresh, empty database of `engine` (removed with `dir`), or None when
/// PostgreSQL tests are explicitly skipped (BIZOSAAS_SKIP_POSTGRES=1). Never skips silently.
pub async fn fresh_database(engine: Engine, dir: &mut TempDir) -> Option<String> {
    match engine {
        Engine::Sqlite => Some(format!("sqlite://{}/bizosaas.db", dir.path.display())),
        Engine::Postgres => {
            let Ok(admin_url) = std::env::var("BIZOSAAS_TEST_POSTGRES_URL") else {
                if std::env::var("BIZOSAAS_SKIP_POSTGRES").as_deref() == Ok("1") {
                    eprintln!("skipping the PostgreSQL run: BIZOSAAS_SKIP_POSTGRES=1");
                    return None;
                }
                panic!(
                    "BIZOSAAS_TEST_POSTGRES_URL is not set. Run the tests with `make test` (it starts \
                     PostgreSQL), or set BIZOSAAS_SKIP_POSTGRES=1 to skip the PostgreSQL runs."
                );
            };
            let name = format!("bizosaas_test_{}", app::server::new_id().replace('-', ""));
            let admin = Db::connect(&admin_url)
                .await
                .expect("connect to the test PostgreSQL");
            sqlx::query(&format!("create database {name}"))
                .execute(&admin.pool)
                .await
                .expect("create a test database");
            admin.pool.close().await;
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("a URL with a database name");
            let url = format!("{base}/{name}");
            dir.database = Some((admin_url, name));
            Some(url)
        }
    }
}

/// The server's warnings and errors, and why connections ended, printed into the output
/// of the test that caused them: cargo shows it when that test fails.
fn log_server_trouble() {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "warn,server::connections=debug",
        ))
        .try_init();
}

pub fn temp_dir() -> TempDir {
    let path = std::env::temp_dir().join(format!("bizosaas-test-{}", app::server::new_id()));
    std::fs::create_dir_all(&path).expect("create a temp dir");
    TempDir {
        path,
        database: None,
    }
}

impl TestApp {
    /// The server with the demo tenants, or None when this engine is skipped.
    pub async fn spawn(engine: Engine) -> Option<TestApp> {
        Self::spawn_configured(engine, |_| {}).await
    }

    /// Like `spawn`, with settings changed by `configure` (a language model, a mail server).
    pub async fn spawn_configured(
        engine: Engine,
        configure: impl FnOnce(&mut Config),
    ) -> Option<TestApp> {
        let mut dir = temp_dir();
        let database_url = fresh_database(engine, &mut dir).await?;
        let db = Db::connect(&database_url).await.expect("connect");
        db.migrate().await.expect("migrate");
        server::seed::demo(&db, None)
            .await
            .expect("seed the demo tenants");
        let dns = std::sync::Arc::new(DnsServer::start().await);
        Some(TestApp::start_configured(db, database_url, dir, 2, false, dns, configure).await)
    }

    /// A second server process (as far as the app can tell) on the same database, that
    /// runs no jobs (so everything it streams was written by the first), optionally
    /// behind a reverse proxy.
    pub async fn spawn_web_only_beside(&self, behind_proxy: bool) -> TestApp {
        let db = Db::connect(&self.database_url).await.expect("connect");
        TestApp::start(
            db,
            self.database_url.clone(),
            temp_dir(),
            0,
            behind_proxy,
            self.dns.clone(),
        )
        .await
    }

    /// Another process on the same database that runs `job_workers` job workers of its own.
    pub async fn spawn_worker_beside(&self, job_workers: usize) -> TestApp {
        let db = Db::connect(&self.database_url).await.expect("connect");
        TestApp::start(
            db,
            self.database_url.clone(),
            temp_dir(),
            job_workers,
            false,
            self.dns.clone(),
        )
        .await
    }

    async fn start(
        db: Db,
        database_url: String,
        dir: TempDir,
        job_workers: usize,
        trust_proxy: bool,
        dns: std::sync::Arc<DnsServer>,
    ) -> TestApp {
        Self::start_configured(db, database_url, dir, job_workers, trust_proxy, dns, |_| {}).await
    }

    async fn start_configured(
        db: Db,
        database_url: String,
        dir: TempDir,
        job_workers: usize,
        trust_proxy: bool,
        dns: std::sync::Arc<DnsServer>,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        log_server_trouble();
        let mut config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url: database_url.clone(),
            base_domain: "localhost".into(),
            https: false,
            trust_proxy,
            job_workers,
            dns_server: Some(dns.addr),
            media_dir: dir.path.join("media"),
            llm: None,
            mail: None,
            public_url: None,
            // One key for every process on a database (a SQLite one keeps its own file).
            connections: server::connections::Limits::default(),
            cache_bytes: app::sites::cache::DEFAULT_BUDGET_BYTES,
            secret_key: database_url
                .starts_with("postgres")
                .then(|| "7e".repeat(32)),
            leptos: leptos::config::LeptosOptions::builder()
                .output_name("bizosaas")
                .site_root("target/site")
                .build(),
        };
        configure(&mut config);
        let app = Application::build(config)
            .await
            .expect("build the application");
        let addr = app.local_addr();
        let stop = CancellationToken::new();
        let server = tokio::spawn(app.run_until_stopped(stop.clone()));
        TestApp {
            addr,
            db,
            database_url,
            dns,
            stop,
            server: Some(server),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (tests assert them).
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            // Generous: CI machines are shared, and a slow answer is not a wrong one.
            .timeout(Duration::from_secs(90))
            .build()
            .unwrap()
    }

    pub async fn login(&self, client: &Client, (email, password): (&str, &str)) -> Response {
        client
            .post(self.url("/api/login"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    pub async fn login_as(&self, who: (&str, &str)) -> Client {
        let client = self.client();
        let response = self.login(&client, who).await;
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "sign-in failed: {}",
            response.status()
        );
        client
    }

    /// GET `path` on a tenant's site, by Host header.
    pub async fn get_site(&self, tenant: &str, path: &str) -> Response {
        let mut headers = HeaderMap::new();
        let host = format!("{tenant}.localhost:{}", self.addr.port());
        headers.insert(HOST, HeaderValue::from_str(&host).unwrap());
        self.client()
            .get(self.url(path))
            .headers(headers)
            .send()
            .await
            .unwrap()
    }

    /// Adds a member with `role` to a demo tenant and signs them in.
    pub async fn sign_in_new_member(
        &self,
        tenant: &str,
        email: &str,
        role: app::tenancy::Role,
    ) -> Client {
        const PASSWORD: &str = "member-password";
        let tenant = app::tenancy::store::tenant_by_slug(&self.db, tenant)
            .await
            .unwrap()
            .expect("a demo tenant");
        let hash = app::auth::password::hash(PASSWORD).unwrap();
        let user = app::auth::store::create_user(&self.db.pool, email, "A Member", &hash)
            .await
            .unwrap();
        app::auth::store::mark_verified(&self.db.pool, &user)
            .await
            .unwrap();
        app::auth::store::add_membership(&self.db.pool, &tenant.id, &user, role)
            .await
            .unwrap();
        self.login_as((email, PASSWORD)).await
    }

    /// POSTs a form on a tenant's site, as a browser without JavaScript would.
    pub async fn post_site_form(&self, tenant: &str, fields: &[(&str, &str)]) -> Response {
        self.post_site_form_via(tenant, None, fields).await
    }

    /// The same, through a proxy that says the visitor is `forwarded_for`.
    pub async fn post_site_form_via(
        &self,
        tenant: &str,
        forwarded_for: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Response {
        let host = format!("{tenant}.localhost:{}", self.addr.port());
        let mut request = self.client().post(self.url("/_form"));
        if let Some(forwarded_for) = forwarded_for {
            request = request.header("x-forwarded-for", forwarded_for);
        }
        request
            .header(HOST, HeaderValue::from_str(&host).unwrap())
            .header("origin", format!("http://{host}"))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// Calls a server function that takes form arguments.
    pub async fn call_form(
        &self,
        client: &Client,
        endpoint: &str,
        args: &[(&str, &str)],
    ) -> Response {
        self.call_form_at(client, &format!("/api/{endpoint}"), args)
            .await
    }

    /// Calls a server function as a page of one business does: `/t/{tenant}/api/...`.
    pub async fn call_form_in(
        &self,
        client: &Client,
        tenant: &str,
        endpoint: &str,
        args: &[(&str, &str)],
    ) -> Response {
        self.call_form_at(client, &format!("/t/{tenant}/api/{endpoint}"), args)
            .await
    }

    async fn call_form_at(&self, client: &Client, path: &str, args: &[(&str, &str)]) -> Response {
        client.post(self.url(path)).form(args).send().await.unwrap()
    }

    /// Calls a server function that takes JSON arguments.
    pub async fn call_json(&self, client: &Client, endpoint: &str, args: &Value) -> Response {
        self.call_json_at(client, &format!("/api/{endpoint}"), args)
            .await
    }

    /// `call_json` as a page of one business calls it.
    pub async fn call_json_in(
        &self,
        client: &Client,
        tenant: &str,
        endpoint: &str,
        args: &Value,
    ) -> Response {
        self.call_json_at(client, &format!("/t/{tenant}/api/{endpoint}"), args)
            .await
    }

    async fn call_json_at(&self, client: &Client, path: &str, args: &Value) -> Response {
        client.post(self.url(path)).json(args).send().await.unwrap()
    }

    /// Takes every product of the signed-in member's tenant off the site: a shop that
    /// sells nothing (yet).
    pub async fn unpublish_products(&self, client: &Client) {
        let response = self.call_form(client, "cms/products", &[]).await;
        assert_eq!(response.status(), 200);
        let products: Vec<Value> = response.json().await.unwrap();
        for product in products {
            let id = product["id"].as_str().unwrap();
            let done = self
                .call_form(
                    client,
                    "cms/unpublish",
                    &[("collection", "product"), ("id", id)],
                )
                .await;
            assert_eq!(done.status(), 200);
        }
    }

    pub async fn pages(&self, client: &Client) -> Vec<Value> {
        let response = self.call_form(client, "cms/pages", &[]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn page_id(&self, client: &Client, slug: &str) -> String {
        self.pages(client)
            .await
            .into_iter()
            .find(|p| p["slug"] == slug)
            .unwrap_or_else(|| panic!("no page at /{slug}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn feed(&self, client: &Client) -> Value {
        let response = client
            .get(self.url("/api/agent-tasks"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn run_site_check(&self, client: &Client) -> Value {
        let response = self.call_form(client, "activity/run_site_check", &[]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Polls the REST feed until the task is finished (generous: the machine may be busy).
    pub async fn wait_for_task(&self, client: &Client, task_id: &str) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while tokio::time::Instant::now() < deadline {
            let feed = self.feed(client).await;
            let tasks = feed["tasks"].as_array().unwrap();
            if let Some(task) = tasks.iter().find(|t| t["id"] == task_id) {
                if task["status"] == "completed" || task["status"] == "failed" {
                    return task.clone();
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("task {task_id} did not finish");
    }

    /// The ids of a tenant's feed events, straight from the database, oldest first.
    pub async fn event_ids(&self, tenant_slug: &str) -> Vec<i64> {
        sqlx::query_scalar(
            "select e.id from agent_task_events e join tenants t on t.id = e.tenant_id \
             where t.slug = $1 order by e.id",
        )
        .bind(tenant_slug)
        .fetch_all(&self.db.pool)
        .await
        .unwrap()
    }

    /// Shuts the server down as SIGTERM would, and waits until it has stopped.
    /// Stops the server and starts a new one on the same database (on a new port), as
    /// a restart of the process would.
    pub async fn restart(&mut self) {
        self.stop.cancel();
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("the server task")
                .expect("the server stopped cleanly");
        }
        let db = Db::connect(&self.database_url).await.expect("connect");
        let mut fresh = TestApp::start(
            db,
            self.database_url.clone(),
            temp_dir(),
            2,
            false,
            self.dns.clone(),
        )
        .await;
        self.addr = fresh.addr;
        self.server = fresh.server.take();
        std::mem::swap(&mut self.stop, &mut fresh.stop);
    }

    pub async fn stop(mut self) {
        self.stop.cancel();
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("the server task")
                .expect("the server stopped cleanly");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Reads server-sent events from a response body.
pub struct SseReader {
    response: Response,
    buffer: String,
}

#[derive(Debug, Clone)]
pub struct SseEvent {
    pub id: Option<i64>,
    pub event: Option<String>,
    pub data: String,
}

impl SseReader {
    pub fn new(response: Response) -> SseReader {
        SseReader {
            response,
            buffer: String::new(),
        }
    }

    /// Exactly `n` events; panics if they do not come within a generous time.
    pub async fn take(&mut self, n: usize) -> Vec<SseEvent> {
        let mut events = Vec::with_capacity(n);
        for k in 0..n {
            match self.next(Duration::from_secs(15)).await {
                Some(event) => events.push(event),
                None => panic!("stream ended or stalled after {k} of {n} events"),
            }
        }
        events
    }

    /// The next event (heartbeat comments skipped), or None after `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    id: None,
                    event: None,
                    data: String::new(),
                };
                let mut has_data = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        event.id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event.event = Some(v.trim().to_string());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        event.data.push_str(v.strip_prefix(' ').unwrap_or(v));
                        has_data = true;
                    }
                }
                if has_data {
                    return Some(event);
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?;
            match chunk {
                Ok(Some(bytes)) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }
}

/// Runs a test body on SQLite and on PostgreSQL, as two tests.
#[macro_export]
macro_rules! on_both_engines {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = TestApp::spawn(Engine::Sqlite).await {
                    ($body)(app).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = TestApp::spawn(Engine::Postgres).await {
                    ($body)(app).await;
                }
            }
        }
    };
}

/// The JSON-LD documents of a page, each parsed (a test fails if one is not JSON).
pub fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .filter_map(|rest| rest.split("</script>").next())
        .map(|json| serde_json::from_str(json).expect("JSON-LD parses as JSON"))
        .collect()
}

impl TestApp {
    /// Creates and publishes a document of a CMS collection (`page`, `post`, `product`)
    /// through the server functions; returns its id.
    async fn publish_new(&self, client: &Client, kind: &str, slug: &str, content: Value) -> String {
        let response = self
            .call_json(
                client,
                &format!("cms/create_{kind}"),
                &serde_json::json!({ "slug": slug, "content": content }),
            )
            .await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        let id = response.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let published = self
            .call_form(client, &publish_endpoint(kind), &[("id", &id)])
            .await;
        assert_eq!(
            published.status(),
            200,
            "{}",
            published.text().await.unwrap()
        );
        id
    }
}

impl TestApp {
    /// GET `path` with any Host header (custom domains), without following redirects.
    pub async fn get_host(&self, host: &str, path: &str) -> Response {
        let host = format!("{host}:{}", self.addr.port());
        self.client()
            .get(self.url(path))
            .header(HOST, HeaderValue::from_str(&host).unwrap())
            .send()
            .await
            .unwrap()
    }
}

impl TestApp {
    /// Uploads a file to the media library as the signed-in member.
    pub async fn upload_media(&self, client: &Client, name: &str, body: Vec<u8>) -> Response {
        client
            .post(self.url(&format!("/api/media/upload?filename={name}")))
            .header("content-type", "application/octet-stream")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Waits until no job of the tenant is due or running (generous: CI is busy).
    pub async fn wait_for_idle_jobs(&self, tenant_id: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let busy: i64 = sqlx::query_scalar(
                "select count(*) from jobs where tenant_id = $1 \
                 and (status = 'running' or (status = 'queued' and run_at <= $2))",
            )
            .bind(tenant_id)
            .bind(app::server::now_ms())
            .fetch_one(&self.db.pool)
            .await
            .unwrap();
            if busy == 0 {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the tenant's jobs did not finish"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Creates and publishes a document of kind `C` (`PageContent`, `PostContent`,
    /// `ProductContent`) through the server functions, as an editor would; returns its
    /// id. The content is written as JSON and must read as a `C`, so a test cannot send
    /// a shape the editor never would.
    pub async fn publish<C: app::cms::Content>(
        &self,
        client: &Client,
        slug: &str,
        content: Value,
    ) -> String {
        let typed: C = serde_json::from_value(content.clone())
            .unwrap_or_else(|e| panic!("not a {}: {e}: {content}", C::NOUN));
        let content = serde_json::to_value(&typed).unwrap();
        self.publish_new(client, C::NOUN, slug, content).await
    }
}

/// A PNG of `width` × `height` pixels.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut bytes = Vec::new();
    picture
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// The server function that publishes a document of a CMS collection.
pub fn publish_endpoint(kind: &str) -> String {
    if kind == "page" {
        "cms/publish".to_string()
    } else {
        format!("cms/publish_{kind}")
    }
}

/// A local SMTP server: enough of RFC 5321 for a client to hand over a message; each
/// message's transcript lands in `received`.
pub async fn smtp_server(received: std::sync::Arc<std::sync::Mutex<Vec<String>>>) -> u16 {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let received = received.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake.test ESMTP\r\n").await.unwrap();
                let mut transcript = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let command = line.to_ascii_uppercase();
                    transcript.push_str(&line);
                    transcript.push('\n');
                    let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO")
                    {
                        b"250 fake.test\r\n"
                    } else if command.starts_with("DATA") {
                        write.write_all(b"354 go ahead\r\n").await.unwrap();
                        while let Ok(Some(line)) = lines.next_line().await {
                            if line == "." {
                                break;
                            }
                            transcript.push_str(&line);
                            transcript.push('\n');
                        }
                        received
                            .lock()
                            .unwrap()
                            .push(std::mem::take(&mut transcript));
                        b"250 queued\r\n"
                    } else if command.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    port
}

/// A local server that speaks the OpenAI chat-completions API: checks the key
/// (`test-key`), keeps what it was asked, and answers `reply` (as JSON text) with token
/// counts. Returns its base URL.
pub async fn language_model_server(
    asked: std::sync::Arc<std::sync::Mutex<Vec<Value>>>,
    reply: Value,
) -> String {
    use axum::{http::HeaderMap, routing::post, Json, Router};
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |headers: HeaderMap, Json(body): Json<Value>| {
            let (asked, reply) = (asked.clone(), reply.clone());
            async move {
                if headers.get("authorization").and_then(|v| v.to_str().ok())
                    != Some("Bearer test-key")
                {
                    return (
                        axum::http::StatusCode::UNAUTHORIZED,
                        Json(serde_json::json!({ "error": "bad key" })),
                    );
                }
                asked.lock().unwrap().push(body);
                (
                    axum::http::StatusCode::OK,
                    Json(serde_json::json!({
                        "id": "chatcmpl-1", "object": "chat.completion",
                        "choices": [{ "index": 0, "message": { "role": "assistant", "content": reply.to_string() }, "finish_reason": "stop" }],
                        "usage": { "prompt_tokens": 42, "completion_tokens": 420, "total_tokens": 462 }
                    })),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v1")
}
