//! Sign-in, sessions, sign-out and the redirects around them.

use crate::common::*;

on_both_engines!(
    dashboard_and_cms_require_a_session,
    |app: TestApp| async move {
        let client = app.client();
        for (path, next) in [
            ("/dashboard", "%2Fdashboard"),
            ("/cms", "%2Fcms"),
            ("/account", "%2Faccount"),
            ("/dashboard/activity", "%2Fdashboard%2Factivity"),
        ] {
            let response = client.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), 303, "{path}");
            assert_eq!(
                response.headers()["location"],
                format!("/login?next={next}").as_str()
            );
        }
        let login = client.get(app.url("/login")).send().await.unwrap();
        assert_eq!(login.status(), 200);
        assert!(login
            .text()
            .await
            .unwrap()
            .contains("Sign in to your dashboard"));
    }
);

on_both_engines!(
    owners_sign_in_to_their_own_tenant,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        // The dashboard is at the business's own address; the old one leads there.
        let old = client.get(app.url("/dashboard")).send().await.unwrap();
        assert_eq!(old.headers()["location"], "/t/acme/dashboard");
        let dashboard = client
            .get(app.url("/t/acme/dashboard"))
            .send()
            .await
            .unwrap();
        assert_eq!(dashboard.status(), 200);
        let html = dashboard.text().await.unwrap();
        assert!(html.contains("Acme Corporation"));
        assert!(html.contains("AI Activity Feed"));
        assert!(!html.contains("Globex"));

        let who = app.call_form(&client, "current_member", &[]).await;
        let who: serde_json::Value = who.json().await.unwrap();
        assert_eq!(who["tenant_slug"], "acme");
        assert_eq!(who["role"], "owner");
    }
);

on_both_engines!(
    wrong_password_is_refused_and_signs_nobody_in,
    |app: TestApp| async move {
        let client = app.client();
        let response = app
            .login(&client, ("owner@acme.test", "wrong password"))
            .await;
        assert_eq!(response.status(), 401);
        let body = response.text().await.unwrap();
        assert!(body.contains("Wrong email or password"), "{body}");
        // An unknown email gets exactly the same answer.
        let unknown = app
            .login(&client, ("nobody@acme.test", "wrong password"))
            .await;
        assert_eq!(unknown.status(), 401);
        assert_eq!(unknown.text().await.unwrap(), body);
        let dashboard = client.get(app.url("/dashboard")).send().await.unwrap();
        assert_eq!(dashboard.status(), 303);
    }
);

on_both_engines!(sign_out_ends_the_session, |app: TestApp| async move {
    let client = app.login_as(ACME).await;
    assert_eq!(
        client
            .get(app.url("/t/acme/dashboard"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let out = client.post(app.url("/logout")).send().await.unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()["location"], "/login");
    assert_eq!(
        client
            .get(app.url("/dashboard"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(
        client
            .get(app.url("/api/agent-tasks"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
});

on_both_engines!(
    a_forged_or_expired_session_cookie_is_worthless,
    |app: TestApp| async move {
        let client = app.client();
        for cookie in [
            "bizosaas_session=not-a-session",
            "bizosaas_session=AAAAAAAAAAAAAAAAAAAAAA",
        ] {
            let dashboard = client
                .get(app.url("/dashboard"))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(dashboard.status(), 303);
            let feed = client
                .get(app.url("/api/agent-tasks"))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(feed.status(), 401);
            let pages = client
                .post(app.url("/api/cms/pages"))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(pages.status(), 401);
        }
    }
);

on_both_engines!(
    malformed_sign_in_requests_get_a_400,
    |app: TestApp| async move {
        let client = app.client();
        let response = app
            .call_form(&client, "login", &[("email", "owner@acme.test")])
            .await;
        assert_eq!(response.status(), 400);
        assert!(response.text().await.unwrap().contains("malformed"));
        let response = app.call_form(&client, "no_such_function", &[]).await;
        assert_eq!(response.status(), 404);
    }
);

on_both_engines!(cross_site_posts_are_refused, |app: TestApp| async move {
    let client = app.client();
    let response = client
        .post(app.url("/api/login"))
        .header("origin", "https://evil.example")
        .form(&[("email", ACME.0), ("password", ACME.1)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let same_site = client
        .post(app.url("/api/login"))
        .header("origin", format!("http://{}", app.addr))
        .form(&[("email", ACME.0), ("password", ACME.1)])
        .send()
        .await
        .unwrap();
    assert!(same_site.status().is_success() || same_site.status().is_redirection());
});

on_both_engines!(
    after_sign_in_only_paths_of_this_site_are_followed,
    |app: TestApp| async move {
        let (email, password) = ACME;
        for (next, expected) in [
            // An old address without the business opens it in theirs.
            ("/cms/pages?tab=2", "/t/acme/cms/pages?tab=2"),
            ("/t/acme/cms/media", "/t/acme/cms/media"),
            ("/account", "/account"),
            // Browsers drop the tab: `//evil.example`, another site.
            ("/\t/evil.example", "/t/acme/dashboard"),
            ("/\\evil.example", "/t/acme/dashboard"),
            ("https://evil.example/", "/t/acme/dashboard"),
            // A line break must never reach the Location header (it split it, and the
            // request got an empty reply).
            ("/dashboard\r\nSet-Cookie: stolen=1", "/t/acme/dashboard"),
        ] {
            let client = app.client();
            let response = client
                .post(app.url("/api/login"))
                .form(&[("email", email), ("password", password), ("next", next)])
                .send()
                .await
                .unwrap_or_else(|e| panic!("no answer for next={next:?}: {e}"));
            // Answered (a browser's form post is redirected by the Location header).
            assert!(
                response.status().is_success() || response.status().is_redirection(),
                "{next:?}: {}",
                response.status()
            );
            assert_eq!(response.headers()["location"], expected, "{next:?}");
            assert!(response.headers().get("set-cookie").is_some());
            assert!(!response
                .headers()
                .get_all("set-cookie")
                .iter()
                .any(|c| c.to_str().unwrap_or("").contains("stolen")));
        }
    }
);

on_both_engines!(
    failed_sign_ins_wait_longer_and_longer_in_every_process,
    |app: TestApp| async move {
        let client = app.client();
        let wrong = ("owner@acme.test", "not the password");
        for n in 1..=6 {
            let response = app.login(&client, wrong).await;
            assert_eq!(response.status(), 401, "failure {n}");
        }
        // Now the account waits, even with the right password, and is told how long.
        let blocked = app.login(&client, ACME).await;
        assert_eq!(blocked.status(), 429);
        let retry_after: u64 = blocked.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=5).contains(&retry_after), "{retry_after}");
        let body: serde_json::Value = blocked.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("try again in"));
        let who: serde_json::Value = app
            .call_form(&client, "current_member", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(who.is_null(), "nobody was signed in");

        // Another process on the same database knows it too.
        let other = app.spawn_web_only_beside(false).await;
        assert_eq!(other.login(&other.client(), ACME).await.status(), 429);

        // An unknown email is answered the same way, so neither tells them apart.
        for _ in 1..=6 {
            let response = app.login(&client, ("nobody@acme.test", "guess")).await;
            assert_eq!(response.status(), 401);
        }
        assert_eq!(
            app.login(&client, ("nobody@acme.test", "guess"))
                .await
                .status(),
            429
        );

        // Other people signing in from the same address are not held up yet.
        let globex = app.login(&app.client(), GLOBEX).await;
        assert!(globex.status().is_success() || globex.status().is_redirection());
        other.stop().await;
    }
);

on_both_engines!(
    a_successful_sign_in_forgets_the_failures_before_it,
    |app: TestApp| async move {
        let client = app.client();
        for _ in 1..=5 {
            let response = app.login(&client, ("owner@acme.test", "typo")).await;
            assert_eq!(response.status(), 401);
        }
        app.login_as(ACME).await;
        for _ in 1..=5 {
            let response = app.login(&client, ("owner@acme.test", "typo")).await;
            assert_eq!(response.status(), 401, "the count started again");
        }
    }
);

on_both_engines!(
    many_accounts_tried_from_one_address_make_that_address_wait,
    |app: TestApp| async move {
        let client = app.client();
        for n in 1..=21 {
            let email = format!("guess{n}@acme.test");
            let response = app.login(&client, (&email, "guess")).await;
            assert_eq!(response.status(), 401, "guess {n}");
        }
        // Every account tried from here waits now, the real one included.
        assert_eq!(app.login(&client, ACME).await.status(), 429);
    }
);
