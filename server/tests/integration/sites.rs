//! Tenant websites by host, the marketing site, and neutral 404s.

use crate::common::*;

on_both_engines!(
    tenants_are_served_by_host_with_their_own_theme,
    |app: TestApp| async move {
        let acme = app.get_site("acme", "/").await;
        assert_eq!(acme.status(), 200);
        let acme = acme.text().await.unwrap();
        let globex = app.get_site("globex", "/").await.text().await.unwrap();

        assert!(acme.contains("<title>Acme Corporation</title>"));
        assert!(
            acme.contains("--color-primary:#e11d48"),
            "acme colour in the head"
        );
        assert!(acme.contains("Georgia"), "acme serif font");
        assert!(acme.contains(">ACME</a>"), "acme logo text");
        assert!(globex.contains("--color-primary:#0f766e"));
        assert!(globex.contains("ui-monospace"));
        assert!(globex.contains("Welcome to Globex"));
        assert!(!globex.contains("Acme"), "nothing of acme on globex");
        // Themed in the server-rendered head, with no WASM or script on the page.
        let head = &acme[..acme.find("</head>").unwrap()];
        assert!(head.contains("<style id=\"theme\">"));
        let scripts = acme.matches("<script").count();
        let data_scripts = acme
            .matches("<script type=\"application/ld+json\">")
            .count();
        assert_eq!(
            scripts, data_scripts,
            "tenant pages carry data, never JavaScript"
        );
        assert!(!acme.contains(".wasm"));
    }
);

on_both_engines!(
    published_subpages_render_and_drafts_do_not,
    |app: TestApp| async move {
        let about = app.get_site("acme", "/about").await;
        assert_eq!(about.status(), 200);
        assert!(about.text().await.unwrap().contains("family business"));
        // Pricing exists only as a draft.
        let pricing = app.get_site("acme", "/pricing").await;
        assert_eq!(pricing.status(), 404);
        let body = pricing.text().await.unwrap();
        assert!(body.contains("This page does not exist"));
        assert!(
            body.contains("--color-primary:#e11d48"),
            "the 404 is in the tenant's theme"
        );
    }
);

on_both_engines!(unknown_hosts_get_a_neutral_404, |app: TestApp| async move {
    let unknown = app.get_site("initech", "/").await;
    assert_eq!(unknown.status(), 404);
    let body = unknown.text().await.unwrap();
    assert!(body.contains("Site not found"));
    // Same answer for a path, and for a host outside the base domain.
    let deep = app.get_site("initech", "/about").await;
    assert_eq!(deep.status(), 404);
    let other = app
        .client()
        .get(app.url("/"))
        .header("host", "example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    assert_eq!(
        other.text().await.unwrap(),
        body,
        "no hint about which tenants exist"
    );
});

on_both_engines!(
    the_platform_host_serves_the_marketing_site,
    |app: TestApp| async move {
        let home = app.client().get(app.url("/")).send().await.unwrap();
        assert_eq!(home.status(), 200);
        let body = home.text().await.unwrap();
        assert!(body.contains("Your business online, with an AI team you can watch at work"));
        assert!(body.contains("href=\"/login\""));
        assert!(body.contains("href=\"/signup\""), "a way to start free");
        assert!(body.contains("<meta name=\"description\""));
        let features = app.client().get(app.url("/features")).send().await.unwrap();
        assert_eq!(features.status(), 200);
        // The pricing page says what each plan of the plan table allows.
        let pricing = app.client().get(app.url("/pricing")).send().await.unwrap();
        assert_eq!(pricing.status(), 200);
        let pricing = pricing.text().await.unwrap();
        for plan in app::plans::PLANS {
            assert!(pricing.contains(plan.name), "{}", plan.name);
            assert!(pricing.contains(&plan.price()), "{}", plan.price());
            for allowance in plan.allowances() {
                assert!(pricing.contains(&allowance), "{allowance}");
            }
        }
        let missing = app
            .client()
            .get(app.url("/no-such-page"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
    }
);

on_both_engines!(health_and_readiness, |app: TestApp| async move {
    let client = app.client();
    assert_eq!(
        client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A tenant host is the tenant's site only.
    assert_eq!(app.get_site("acme", "/healthz").await.status(), 404);
});

on_both_engines!(
    unchanged_pages_are_revalidated_with_304,
    |app: TestApp| async move {
        let first = app.get_site("acme", "/about").await;
        assert_eq!(first.headers()["cache-control"], "no-cache");
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        assert!(etag.starts_with('"') && etag.ends_with('"'));

        let host = format!("acme.localhost:{}", app.addr.port());
        let revalidate = |tag: String| {
            let client = app.client();
            let url = app.url("/about");
            let host = host.clone();
            async move {
                client
                    .get(url)
                    .header("host", host)
                    .header("if-none-match", tag)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let again = revalidate(etag.clone()).await;
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.text().await.unwrap().is_empty());
        assert_eq!(revalidate("\"something-else\"".into()).await.status(), 200);

        // A publish changes the page, so the old tag no longer matches.
        let client = app.login_as(ACME).await;
        let id = app.page_id(&client, "about").await;
        let content = serde_json::json!({ "title": "About us now", "meta_description": "",
                "blocks": [{ "type": "text", "markdown": "Still a family business." }] });
        app.call_json(
            &client,
            "cms/save_draft",
            &serde_json::json!({ "id": id, "base_revision": 1, "content": content }),
        )
        .await;
        app.call_form(&client, "cms/publish", &[("id", &id)]).await;
        let after = revalidate(etag.clone()).await;
        assert_eq!(after.status(), 200);
        assert_ne!(after.headers()["etag"].to_str().unwrap(), etag);
        assert!(after.text().await.unwrap().contains("About us now"));
    }
);

on_both_engines!(pages_are_served_precompressed, |app: TestApp| async move {
    let host = format!("acme.localhost:{}", app.addr.port());
    let plain = app.get_site("acme", "/about").await;
    let etag = plain.headers()["etag"].to_str().unwrap().to_string();
    let html = plain.text().await.unwrap();
    for (accept, encoding, magic) in [
        ("gzip, deflate, br", "br", None),
        ("gzip", "gzip", Some([0x1f_u8, 0x8b])),
    ] {
        let response = app
            .client()
            .get(app.url("/about"))
            .header("host", &host)
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], encoding);
        assert_eq!(response.headers()["vary"], "accept-encoding");
        assert_eq!(
            response.headers()["etag"].to_str().unwrap(),
            etag,
            "one tag for every encoding"
        );
        let body = response.bytes().await.unwrap();
        assert!(body.len() < html.len(), "compressed");
        if let Some(magic) = magic {
            assert_eq!(&body[..2], &magic);
        }
    }
});

/// On an SQLite file, the reads behind a site's cache misses use connections of their own
/// on the request's thread (`server::db::SqliteReads`): they see what the pool committed a
/// moment before, never an older snapshot, and cannot write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sites_quick_reads_see_every_commit_and_never_write() {
    let app = TestApp::spawn(Engine::Sqlite).await.unwrap();
    let reads = app
        .db
        .sqlite_reads()
        .expect("an SQLite file has quick reads");
    for name in ["Acme Renamed", "Acme Again"] {
        sqlx::query("update tenants set name = $1 where slug = 'acme'")
            .bind(name)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let tenant = app::tenancy::store::tenant_by_slug(&app.db, "acme")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(tenant.name, name);
    }
    let write = reads.read(|conn| conn.execute("update tenants set name = 'x'", []));
    assert!(write.is_err(), "a quick read cannot write");
    let name: String = sqlx::query_scalar("select name from tenants where slug = 'acme'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(name, "Acme Again");
}

/// Other processes' signals come on one connection; those sent while it was down are
/// lost, so the pages they would have dropped are dropped when it is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_pages_go_when_the_signal_connection_drops_on_postgres() {
    let Some(app) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let home = || async { app.get_site("acme", "/").await.text().await.unwrap() };
    assert!(home().await.contains("Acme Corporation"));
    // A change this process hears nothing of, as if another process's signal was lost.
    sqlx::query("update tenants set name = 'Acme Anvils' where slug = 'acme'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(
        home().await.contains("Acme Corporation"),
        "the cached page is served"
    );
    let ended: Vec<(bool,)> = sqlx::query_as(
        "select pg_terminate_backend(pid) from pg_stat_activity \
         where datname = current_database() and query like 'LISTEN%'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(ended.len(), 1, "the process listens on one connection");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !home().await.contains("Acme Anvils") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the page is drawn anew once the connection is back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
