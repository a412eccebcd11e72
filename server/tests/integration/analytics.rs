//! Private analytics: views and daily visitors counted on the server, per tenant, with
//! nothing stored that identifies a visitor.

use std::time::Duration;

use crate::common::*;
use serde_json::Value;

async fn visit(app: &TestApp, tenant: &str, path: &str, agent: &str, referer: Option<&str>) {
    let host = format!("{tenant}.localhost:{}", app.addr.port());
    let mut request = app
        .client()
        .get(app.url(path))
        .header("host", host)
        .header("user-agent", agent);
    if let Some(referer) = referer {
        request = request.header("referer", referer);
    }
    let status = request.send().await.unwrap().status();
    assert!(status == 200 || status == 404, "{status}");
}

/// Counting happens after the response; wait until `views` are in.
async fn analytics_with(app: &TestApp, client: &reqwest::Client, views: i64) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let stats: Value = app
            .call_form(client, "analytics/site", &[])
            .await
            .json()
            .await
            .unwrap();
        let total: i64 = stats["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["views"].as_i64().unwrap())
            .sum();
        if total >= views || tokio::time::Instant::now() > deadline {
            return stats;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

on_both_engines!(
    views_visitors_pages_and_referrers_are_counted,
    |app: TestApp| async move {
        visit(&app, "acme", "/", "Browser A", None).await;
        visit(
            &app,
            "acme",
            "/",
            "Browser A",
            Some("https://www.google.com/search?q=acme"),
        )
        .await;
        visit(
            &app,
            "acme",
            "/about",
            "Browser A",
            Some(&format!("http://acme.localhost:{}/", app.addr.port())),
        )
        .await;
        visit(
            &app,
            "acme",
            "/",
            "Browser B",
            Some("https://news.example/story"),
        )
        .await;
        visit(&app, "acme", "/nope", "Browser C", None).await; // a 404 is not a page view

        let owner = app.login_as(ACME).await;
        let stats = analytics_with(&app, &owner, 4).await;
        let days = stats["days"].as_array().unwrap();
        assert_eq!(days.len(), 30);
        let today = days.last().unwrap();
        assert_eq!(today["views"], 4);
        assert_eq!(today["visitors"], 2);
        assert_eq!(
            stats["top_pages"],
            serde_json::json!([["/", 3], ["/about", 1]])
        );
        assert_eq!(
            stats["top_referrers"],
            serde_json::json!([["google.com", 1], ["news.example", 1]]),
            "own pages are not referrers"
        );

        // Only acme's.
        let globex = app.login_as(GLOBEX).await;
        let theirs: Value = app
            .call_form(&globex, "analytics/site", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(theirs["days"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["views"] == 0));
        assert_eq!(
            app.call_form(&app.client(), "analytics/site", &[])
                .await
                .status(),
            401
        );

        // The dashboard shows it.
        let html = owner
            .get(app.url("/t/acme/dashboard"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Visits, last 30 days"));
        assert!(html.contains("google.com"));
    }
);

on_both_engines!(
    nothing_stored_identifies_a_visitor,
    |app: TestApp| async move {
        visit(&app, "globex", "/", "Secret Agent 007", None).await;
        let owner = app.login_as(GLOBEX).await;
        analytics_with(&app, &owner, 1).await;
        let visitors: Vec<String> = sqlx::query_scalar("select visitor from daily_visitors")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(visitors.len(), 1);
        assert_eq!(visitors[0].len(), 64);
        assert!(visitors[0].chars().all(|c| c.is_ascii_hexdigit()));
        let everything: Vec<String> = sqlx::query_scalar("select path || referrer from page_views")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        assert!(everything
            .iter()
            .all(|row| !row.contains("127.0.0.1") && !row.contains("Agent")));
        // Only today's salt exists; yesterday's is gone.
        let salts: i64 = sqlx::query_scalar("select count(*) from analytics_salts")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(salts, 1);
    }
);

on_both_engines!(
    a_flush_of_many_pages_and_visitors_writes_them_all_and_adds_to_what_is_there,
    |app: TestApp| async move {
        let counter = app::analytics::store::ViewCounter::default();
        let mut tenants = Vec::new();
        for slug in ["acme", "globex"] {
            let tenant = app::tenancy::store::tenant_by_slug(&app.db, slug)
                .await
                .unwrap()
                .unwrap();
            tenants.push(tenant.id);
        }
        // More rows than one statement writes, twice, for two tenants.
        for _ in 0..2 {
            for n in 0..1_200 {
                for tenant in &tenants {
                    let path = format!("/page-{n}");
                    let visitor = format!("visitor-{}", n % 700);
                    let view = app::analytics::store::PageView {
                        path: &path,
                        referrer: "",
                        visitor_key: &visitor,
                    };
                    counter.record(&app.db, tenant, view).await.unwrap();
                }
            }
            counter.flush(&app.db).await.unwrap();
        }
        for tenant in &tenants {
            let count = |sql: &'static str| {
                sqlx::query_scalar::<_, i64>(sql)
                    .bind(tenant)
                    .fetch_one(&app.db.pool)
            };
            let pages = count("select count(*) from page_views where tenant_id = $1");
            assert_eq!(pages.await.unwrap(), 1_200);
            let twice = count("select count(*) from page_views where tenant_id = $1 and views = 2");
            assert_eq!(
                twice.await.unwrap(),
                1_200,
                "each page seen twice, added up"
            );
            let visitors = count("select count(*) from daily_visitors where tenant_id = $1");
            assert_eq!(visitors.await.unwrap(), 700);
        }
    }
);
