//! Custom domains: served only after the DNS TXT record is found by the real resolver
//! (asking a DNS server on loopback), `www.` and the bare name redirect to the one the
//! tenant prefers, and nobody can take over another tenant's domain.

use std::time::Duration;

use crate::common::*;
use serde_json::Value;

async fn domains(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    let response = app.call_form(client, "site/domains", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Waits until the domain's first automatic check has been recorded.
async fn first_check(app: &TestApp, client: &reqwest::Client, host: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let list = domains(app, client).await;
        let domain = list
            .into_iter()
            .find(|d| d["host"] == host)
            .expect("the domain");
        if !domain["last_checked_at"].is_null() {
            return domain;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the check never ran"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Asks for a check and returns its task once the first look is done: completed, failed
/// for good, or waiting to look again (a record not found is retried for hours).
async fn check_now(app: &TestApp, client: &reqwest::Client, host: &str) -> Value {
    let response = app
        .call_form(client, "site/check_domain", &[("host", host)])
        .await;
    assert_eq!(response.status(), 200);
    let task: Value = response.json().await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let feed = app.feed(client).await;
        let current = feed["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == task["id"])
            .cloned()
            .expect("the task is in the feed");
        let retrying = current["status"] == "pending"
            && current["summary"]
                .as_str()
                .is_some_and(|s| s.starts_with("Attempt"));
        if current["status"] == "completed" || current["status"] == "failed" || retrying {
            return current;
        }
        assert!(tokio::time::Instant::now() < deadline, "{current}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

on_both_engines!(
    a_domain_is_served_once_its_txt_record_is_found,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let added = app
            .call_form(
                &client,
                "site/add_domain",
                &[("host", " https://WWW.Shop.Example.com/ ")],
            )
            .await;
        assert_eq!(added.status(), 200);
        let domain: Value = added.json().await.unwrap();
        assert_eq!(domain["host"], "shop.example.com");
        let token = domain["token"].as_str().unwrap().to_string();

        // Not served while unverified: the neutral page, as for any unknown host.
        let before = app.get_host("shop.example.com", "/").await;
        assert_eq!(before.status(), 404);
        assert!(before.text().await.unwrap().contains("Site not found"));
        let checked = first_check(&app, &client, "shop.example.com").await;
        assert!(checked["verified_at"].is_null());
        assert!(
            checked["last_error"]
                .as_str()
                .unwrap()
                .contains("_bizosaas.shop.example.com"),
            "{checked}"
        );
        // DNS takes hours to spread: the check says when it looks again, and keeps trying
        // for about half a day rather than giving up after seconds.
        let error = checked["last_error"].as_str().unwrap();
        assert!(error.contains("We look again at"), "{error}");
        let feed = app.feed(&client).await;
        let task = feed["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["task_type"] == "domain_check")
            .expect("the domain check task")
            .clone();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        let mut task = task;
        while task["status"] != "pending" || task["summary"].is_null() {
            assert!(tokio::time::Instant::now() < deadline, "{task}");
            tokio::time::sleep(Duration::from_millis(100)).await;
            task = app.feed(&client).await["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["id"] == task["id"])
                .unwrap()
                .clone();
        }
        assert!(
            task["summary"]
                .as_str()
                .unwrap()
                .starts_with("Attempt 1 of 12 failed"),
            "{task}"
        );

        app.dns.set_txt(
            "_bizosaas.shop.example.com",
            &format!("bizosaas-verification={token}"),
        );
        let task = check_now(&app, &client, "shop.example.com").await;
        assert_eq!(task["status"], "completed", "{task}");
        assert!(task["summary"].as_str().unwrap().contains("verified"));

        let home = app.get_host("shop.example.com", "/about").await;
        assert_eq!(home.status(), 200);
        let html = home.text().await.unwrap();
        assert!(html.contains("Acme Corporation"));
        let port = app.addr.port();
        assert!(html.contains(&format!(
            r#"<link rel="canonical" href="http://shop.example.com:{port}/about">"#
        )));
        // The subdomain still serves the site, but names the domain as the page's address,
        // so search engines index one copy.
        let subdomain = app.get_site("acme", "/about").await.text().await.unwrap();
        assert!(
            subdomain.contains(r#"<link rel="canonical" href="http://shop.example.com/about">"#),
            "{subdomain}"
        );
        let sitemap = app
            .get_site("acme", "/sitemap.xml")
            .await
            .text()
            .await
            .unwrap();
        assert!(sitemap.contains("<loc>http://shop.example.com/about</loc>"));
        // www. goes to the bare name, path and query kept.
        let www = app.get_host("www.shop.example.com", "/about?x=1").await;
        assert_eq!(www.status(), 301);
        assert_eq!(
            www.headers()["location"],
            format!("http://shop.example.com:{port}/about?x=1")
        );
        // Or the reverse, when the tenant prefers www.
        let prefer = app
            .call_form(
                &client,
                "site/domain_www",
                &[("host", "shop.example.com"), ("prefer_www", "true")],
            )
            .await;
        assert_eq!(prefer.status(), 200);
        let apex = app.get_host("shop.example.com", "/").await;
        assert_eq!(apex.status(), 301);
        assert_eq!(
            apex.headers()["location"],
            format!("http://www.shop.example.com:{port}/")
        );
        assert_eq!(
            app.get_host("www.shop.example.com", "/").await.status(),
            200
        );

        // When the record goes away, the next check stops serving the domain.
        app.dns.clear("_bizosaas.shop.example.com");
        let task = check_now(&app, &client, "shop.example.com").await;
        assert_eq!(task["status"], "pending", "looks again later: {task}");
        assert_eq!(
            app.get_host("www.shop.example.com", "/").await.status(),
            404
        );

        // Removing it is immediate.
        app.dns.set_txt(
            "_bizosaas.shop.example.com",
            &format!("bizosaas-verification={token}"),
        );
        check_now(&app, &client, "shop.example.com").await;
        assert_eq!(
            app.get_host("www.shop.example.com", "/").await.status(),
            200
        );
        let removed = app
            .call_form(
                &client,
                "site/remove_domain",
                &[("host", "shop.example.com")],
            )
            .await;
        assert_eq!(removed.status(), 200);
        assert_eq!(
            app.get_host("www.shop.example.com", "/").await.status(),
            404
        );
    }
);

on_both_engines!(
    another_tenant_cannot_take_a_verified_domain,
    |app: TestApp| async move {
        let acme = app.login_as(ACME).await;
        let globex = app.login_as(GLOBEX).await;
        let domain: Value = app
            .call_form(&acme, "site/add_domain", &[("host", "acme.example")])
            .await
            .json()
            .await
            .unwrap();
        let acme_token = domain["token"].as_str().unwrap().to_string();
        app.dns.set_txt(
            "_bizosaas.acme.example",
            &format!("bizosaas-verification={acme_token}"),
        );
        assert_eq!(
            check_now(&app, &acme, "acme.example").await["status"],
            "completed"
        );

        // Globex may add the name, but acme's record does not verify it for globex...
        let theirs: Value = app
            .call_form(&globex, "site/add_domain", &[("host", "acme.example")])
            .await
            .json()
            .await
            .unwrap();
        assert_ne!(theirs["token"], acme_token.as_str());
        first_check(&app, &globex, "acme.example").await;
        // ...and even a record with globex's token cannot move a verified domain.
        app.dns.set_txt(
            "_bizosaas.acme.example",
            &format!(
                "bizosaas-verification={}",
                theirs["token"].as_str().unwrap()
            ),
        );
        let task = check_now(&app, &globex, "acme.example").await;
        assert_eq!(task["status"], "failed");
        assert!(
            task["error"].as_str().unwrap().contains("another site"),
            "{task}"
        );
        let html = app
            .get_host("acme.example", "/")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("Acme Corporation"), "still acme's");

        // Globex can neither see nor change acme's domain.
        let acme_domains = domains(&app, &acme).await;
        assert_eq!(acme_domains.len(), 1);
        let globex_view = domains(&app, &globex).await;
        assert!(globex_view
            .iter()
            .all(|d| d["token"] != acme_token.as_str()));
        app.call_form(&globex, "site/remove_domain", &[("host", "acme.example")])
            .await;
        assert_eq!(
            app.get_host("acme.example", "/").await.status(),
            200,
            "acme's is untouched"
        );
    }
);

on_both_engines!(
    domains_are_checked_and_only_admins_manage_them,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        for (host, why) in [
            ("not a domain", "spaces"),
            ("shop.localhost", "our own base domain"),
            ("localhost", "no dot"),
        ] {
            let response = app
                .call_form(&owner, "site/add_domain", &[("host", host)])
                .await;
            assert_eq!(response.status(), 422, "{host}: {why}");
        }
        app.call_form(&owner, "site/add_domain", &[("host", "twice.example")])
            .await;
        let again = app
            .call_form(&owner, "site/add_domain", &[("host", "twice.example")])
            .await;
        assert_eq!(again.status(), 409);
        let editor = app
            .sign_in_new_member("acme", "editor@acme.test", app::tenancy::Role::Editor)
            .await;
        for (endpoint, args) in [
            ("site/domains", vec![]),
            ("site/add_domain", vec![("host", "editor.example")]),
            ("site/check_domain", vec![("host", "twice.example")]),
            ("site/remove_domain", vec![("host", "twice.example")]),
        ] {
            let response = app.call_form(&editor, endpoint, &args).await;
            assert_eq!(response.status(), 403, "{endpoint}");
        }
        let unknown = app
            .call_form(&owner, "site/check_domain", &[("host", "nope.example")])
            .await;
        assert_eq!(unknown.status(), 404);
    }
);
