//! Load test of the live feed: opens N SSE streams spread over T tenants against real
//! `bizosaas` processes on loopback (one on SQLite; one or more sharing a PostgreSQL
//! database), publishes events through the agent API at a set rate, and reports
//! publish-to-receive latency, events lost or duplicated, and server memory per stream.
//! Setup (tenants, owners, API keys) is written straight to the database; everything
//! measured goes over HTTP.

use std::process::Stdio;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use futures::StreamExt;

#[derive(Parser)]
#[command(about = "Load test of the live activity feed (SSE)")]
struct Args {
    /// Concurrent SSE streams.
    #[arg(long, default_value_t = 1000)]
    connections: usize,
    /// Tenants the streams are spread over (one API key each).
    #[arg(long, default_value_t = 100)]
    tenants: usize,
    /// Events published per second, over all tenants.
    #[arg(long, default_value_t = 1000)]
    rate: u64,
    /// How long to publish.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// The server binary.
    #[arg(long, default_value = "target/release/bizosaas")]
    server: String,
    /// The database (a fresh SQLite file in a temporary folder when not given).
    #[arg(long)]
    database_url: Option<String>,
    /// Server processes sharing the database (PostgreSQL only when more than one);
    /// streams and publishes are spread over them in turn.
    #[arg(long, default_value_t = 1)]
    processes: usize,
    /// The first process's port; the others take the next ones.
    #[arg(long, default_value_t = 3990)]
    port: u16,
}

const PASSWORD: &str = "bench-password-2026";
const BENCH_SECRET_KEY: &str = "62656e63682d6b65792d6f6e6c792d666f722d62656e63686d61726b732d2121";

fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or_default()
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or_default()
}

struct Tenant {
    email: String,
    key: String,
}

async fn set_up(
    database_url: &str,
    tenants: usize,
) -> Result<Vec<Tenant>, Box<dyn std::error::Error>> {
    let db = app::server::Db::connect(database_url).await?;
    db.migrate().await?;
    server::seed::ensure_platform(&db).await?;
    let hash = app::auth::password::hash(PASSWORD).map_err(|e| e.to_string())?;
    let mut made = Vec::with_capacity(tenants);
    for n in 0..tenants {
        let slug = format!("bench{n}");
        let tenant = match app::tenancy::store::tenant_by_slug(&db, &slug).await? {
            Some(tenant) => tenant,
            None => {
                let tenant = app::tenancy::store::create_tenant(
                    &db.pool,
                    &slug,
                    &format!("Bench {n}"),
                    false,
                    &app::tenancy::Theme::default(),
                )
                .await?;
                let email = format!("owner@{slug}.test");
                let user =
                    app::auth::store::create_user(&db.pool, &email, "Bench owner", &hash).await?;
                app::auth::store::add_membership(
                    &db.pool,
                    &tenant.id,
                    &user,
                    app::tenancy::Role::Owner,
                )
                .await?;
                tenant
            }
        };
        let key = app::api_keys::store::create(&db, &tenant.id, "bench", "bench").await?;
        made.push(Tenant {
            email: format!("owner@{slug}.test"),
            key: key.secret,
        });
    }
    Ok(made)
}

#[derive(Default)]
struct Received {
    /// When each received event was sent and its publish-to-receive latency, in
    /// microseconds.
    latencies: Mutex<Vec<(u64, u64)>>,
    /// Events received per stream.
    per_stream: Vec<AtomicU64>,
    connected: AtomicUsize,
}

async fn follow(client: reqwest::Client, url: String, stream: usize, received: Arc<Received>) {
    let response = match client.get(&url).send().await {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => {
            eprintln!("stream {stream}: HTTP {}", r.status());
            return;
        }
        Err(err) => {
            eprintln!("stream {stream}: {err}");
            return;
        }
    };
    received.connected.fetch_add(1, Ordering::Relaxed);
    let mut body = response.bytes_stream();
    let mut buffer = String::new();
    let mut latencies = Vec::new();
    while let Some(Ok(chunk)) = body.next().await {
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) else {
                continue;
            };
            let at = now_us();
            let Ok(event) = serde_json::from_str::<serde_json::Value>(data.trim()) else {
                continue;
            };
            if let Some(sent) = event["task"]["metadata"]["sent_us"].as_u64() {
                latencies.push((sent, at.saturating_sub(sent)));
                received.per_stream[stream].fetch_add(1, Ordering::Relaxed);
            }
        }
        if !latencies.is_empty() {
            received.latencies.lock().unwrap().append(&mut latencies);
        }
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let dir = std::env::temp_dir().join(format!("bizosaas-bench-sse-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let database_url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/bench.db", dir.display()));
    println!("setting up {} tenants...", args.tenants);
    let tenants = set_up(&database_url, args.tenants).await?;

    if args.processes > 1 && !database_url.starts_with("postgres") {
        return Err("more than one process needs a PostgreSQL --database-url".into());
    }
    let mut children = Vec::with_capacity(args.processes);
    let mut bases = Vec::with_capacity(args.processes);
    for n in 0..args.processes.max(1) {
        let addr = format!("127.0.0.1:{}", args.port + n as u16);
        let child = tokio::process::Command::new(&args.server)
            .arg("serve")
            .env("DATABASE_URL", &database_url)
            .env("BIZOSAAS_ADDR", &addr)
            .env("BIZOSAAS_MEDIA_DIR", dir.join("media"))
            // Every process must seal secrets with the same key on PostgreSQL.
            .env("BIZOSAAS_SECRET_KEY", BENCH_SECRET_KEY)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        children.push(child);
        bases.push(format!("http://{addr}"));
    }
    let pids: Vec<u32> = children.iter().filter_map(|c| c.id()).collect();
    if pids.len() != children.len() {
        return Err("a server did not start".into());
    }
    let rss = || pids.iter().map(|pid| rss_kib(*pid)).sum::<u64>();
    let plain = reqwest::Client::new();
    for base in &bases {
        for _ in 0..200 {
            if plain.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let base = &bases[0];

    // One signed-in client per tenant; its streams share its cookie.
    let mut clients = Vec::with_capacity(tenants.len());
    for tenant in &tenants {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()?;
        let signed_in = client
            .post(format!("{base}/api/login"))
            .form(&[("email", tenant.email.as_str()), ("password", PASSWORD)])
            .send()
            .await?;
        if !(signed_in.status().is_success() || signed_in.status().is_redirection()) {
            return Err(format!("sign-in failed: {}", signed_in.status()).into());
        }
        clients.push(client);
    }

    let idle_rss = rss();
    let received = Arc::new(Received {
        per_stream: (0..args.connections).map(|_| AtomicU64::new(0)).collect(),
        ..Default::default()
    });
    println!("opening {} streams...", args.connections);
    let opening = Instant::now();
    let mut followers = Vec::with_capacity(args.connections);
    for stream in 0..args.connections {
        let client = clients[stream % tenants.len()].clone();
        followers.push(tokio::spawn(follow(
            client,
            format!("{}/api/agent-tasks/stream", bases[stream % bases.len()]),
            stream,
            received.clone(),
        )));
        if stream % 500 == 499 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    while received.connected.load(Ordering::Relaxed) < args.connections {
        if opening.elapsed() > Duration::from_secs(120) {
            return Err(format!(
                "only {} of {} streams opened",
                received.connected.load(Ordering::Relaxed),
                args.connections
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let streaming_rss = rss();
    println!(
        "{} streams open in {:.1} s",
        args.connections,
        opening.elapsed().as_secs_f64()
    );

    // Publish: a completed task per event, round-robin over tenants.
    let published: Arc<Vec<AtomicU64>> =
        Arc::new((0..tenants.len()).map(|_| AtomicU64::new(0)).collect());
    let refused = Arc::new(AtomicU64::new(0));
    let total = args.rate * args.seconds;
    let started = Instant::now();
    let in_flight = Arc::new(tokio::sync::Semaphore::new(256));
    // How long the server took to answer each publish, in microseconds: the part of the
    // publish→receive latency spent writing the event.
    let answered = Arc::new(Mutex::new(Vec::with_capacity(total as usize)));
    let mut publishers = Vec::new();
    for n in 0..total {
        let due = started + Duration::from_secs_f64(n as f64 / args.rate as f64);
        tokio::time::sleep_until(due.into()).await;
        let permit = in_flight.clone().acquire_owned().await?;
        let tenant = (n as usize) % tenants.len();
        let (key, url) = (
            tenants[tenant].key.clone(),
            format!("{}/api/v1/agent-tasks", bases[n as usize % bases.len()]),
        );
        let (plain, published, refused, answered) = (
            plain.clone(),
            published.clone(),
            refused.clone(),
            answered.clone(),
        );
        publishers.push(tokio::spawn(async move {
            let sent = now_us();
            let body = serde_json::json!({
                "task_type": "bench", "status": "completed",
                "metadata": { "sent_us": sent }
            });
            match plain.post(url).bearer_auth(key).json(&body).send().await {
                Ok(r) if r.status() == 201 => {
                    answered.lock().unwrap().push(now_us() - sent);
                    published[tenant].fetch_add(1, Ordering::Relaxed);
                }
                _ => {
                    refused.fetch_add(1, Ordering::Relaxed);
                }
            }
            drop(permit);
        }));
    }
    for publisher in publishers {
        let _ = publisher.await;
    }
    let publish_seconds = started.elapsed().as_secs_f64();

    // Let the last events arrive.
    let expected: u64 = (0..args.connections)
        .map(|s| published[s % tenants.len()].load(Ordering::Relaxed))
        .sum();
    let drain = Instant::now();
    loop {
        let got: u64 = received
            .per_stream
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum();
        if got >= expected || drain.elapsed() > Duration::from_secs(15) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let peak_rss = rss();
    let mut lost = 0u64;
    let mut extra = 0u64;
    for stream in 0..args.connections {
        let want = published[stream % tenants.len()].load(Ordering::Relaxed);
        let got = received.per_stream[stream].load(Ordering::Relaxed);
        lost += want.saturating_sub(got);
        extra += got.saturating_sub(want);
    }
    for mut child in children {
        let _ = child.kill().await;
    }
    for follower in followers {
        follower.abort();
    }
    let sent_and_latency = std::mem::take(&mut *received.latencies.lock().unwrap());
    let mut latencies: Vec<u64> = sent_and_latency.iter().map(|(_, l)| *l).collect();
    latencies.sort_unstable();
    // The 99th percentile of each second's events, to tell a steady queue from a burst.
    let first_sent = sent_and_latency
        .iter()
        .map(|(s, _)| *s)
        .min()
        .unwrap_or_default();
    let mut by_second = std::collections::BTreeMap::<u64, Vec<u64>>::new();
    for (sent, latency) in &sent_and_latency {
        by_second
            .entry((sent - first_sent) / 1_000_000)
            .or_default()
            .push(*latency);
    }
    let each_second: Vec<String> = by_second
        .into_values()
        .map(|mut second| {
            second.sort_unstable();
            format!("{:.0}", percentile(&second, 99.0))
        })
        .collect();
    let events: u64 = published.iter().map(|c| c.load(Ordering::Relaxed)).sum();
    let mut answered = std::mem::take(&mut *answered.lock().unwrap());
    answered.sort_unstable();
    println!(
        "publishes answered in p50 {:.1} ms, p99 {:.1} ms",
        percentile(&answered, 50.0),
        percentile(&answered, 99.0)
    );
    println!("p99 of each second, ms: {}", each_second.join(" "));
    println!();
    println!("| processes | streams | tenants | events published | rate achieved | deliveries | p50 | p99 | max | lost | duplicated | refused | RSS idle → streaming → peak | per stream |");
    println!(
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    println!(
        "| {} {} | {} | {} | {} | {:.0}/s | {} | {:.1} ms | {:.1} ms | {:.1} ms | {} | {} | {} | {} → {} → {} MiB | {:.1} KiB |",
        bases.len(),
        if database_url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" },
        args.connections,
        tenants.len(),
        events,
        events as f64 / publish_seconds,
        latencies.len(),
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or_default() as f64 / 1000.0,
        lost,
        extra,
        refused.load(Ordering::Relaxed),
        idle_rss / 1024,
        streaming_rss / 1024,
        peak_rss / 1024,
        (streaming_rss.saturating_sub(idle_rss)) as f64 / args.connections as f64,
    );
    let _ = std::fs::remove_dir_all(&dir);
    if lost > 0 || extra > 0 {
        std::process::exit(1);
    }
    Ok(())
}
