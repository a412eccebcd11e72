//! Sign-up: a business becomes a customer with its owner, its tenant and a site that
//! answers at once; every refusal is a sentence, and a refused sign-up leaves nothing.

use reqwest::Client;
use serde_json::Value;

use crate::common::*;

const STRONG: &str = "violet anvil harbour lantern";

/// A filled-in sign-up form, with `changes` typed over it.
fn filled<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", "Joe Baker"),
        ("email", "joe@bakery.test"),
        ("password", STRONG),
        ("business", "Joe's Bakery"),
        ("address", "joes-bakery"),
    ];
    for (field, value) in changes {
        match form.iter_mut().find(|(f, _)| f == field) {
            Some(slot) => slot.1 = value,
            None => form.push((field, value)),
        }
    }
    form
}

impl TestApp {
    async fn sign_up(&self, client: &Client, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_form(client, "accounts/sign_up", form).await
    }

    async fn accounts(&self) -> (i64, i64, i64) {
        let count = |table: &'static str| async move {
            sqlx::query_scalar::<_, i64>(&format!("select count(*) from {table}"))
                .fetch_one(&self.db.pool)
                .await
                .unwrap()
        };
        (
            count("users").await,
            count("tenants").await,
            count("memberships").await,
        )
    }
}

on_both_engines!(
    a_business_signs_up_and_its_site_answers_at_once,
    |app: TestApp| async move {
        let before = app.accounts().await;
        let client = app.client();
        let response = app
            .sign_up(&client, &filled(&[("email", " Joe@Bakery.TEST ")]))
            .await;
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "{}",
            response.text().await.unwrap()
        );
        assert_eq!(
            response.headers()["location"],
            "/t/joes-bakery/dashboard/welcome"
        );
        let after = app.accounts().await;
        assert_eq!(
            (after.0 - before.0, after.1 - before.1, after.2 - before.2),
            (1, 1, 1)
        );

        // Signed in, as the owner of the new business.
        let who: Value = app
            .call_form(&client, "current_member", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(who["tenant_slug"], "joes-bakery");
        assert_eq!(who["tenant_name"], "Joe's Bakery");
        assert_eq!(who["role"], "owner");
        assert_eq!(who["email"], "joe@bakery.test");
        let dashboard = client
            .get(app.url("/t/joes-bakery/dashboard"))
            .send()
            .await
            .unwrap();
        assert_eq!(dashboard.status(), 200);
        let html = dashboard.text().await.unwrap();
        assert!(
            ["Joe's Bakery", "Joe&#x27;s Bakery", "Joe&#39;s Bakery"]
                .iter()
                .any(|name| html.contains(name)),
            "{html}"
        );

        // The site answers with the business's name.
        let site = app.get_site("joes-bakery", "/").await;
        assert_eq!(site.status(), 200);
        let html = site.text().await.unwrap();
        assert!(
            [
                "Welcome to Joe's Bakery",
                "Welcome to Joe&#x27;s Bakery",
                "Welcome to Joe&#39;s Bakery"
            ]
            .iter()
            .any(|welcome| html.contains(welcome)),
            "{html}"
        );

        // And the owner can sign in again with what they chose.
        let again = app.login_as(("joe@bakery.test", STRONG)).await;
        let who: Value = app
            .call_form(&again, "current_member", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(who["tenant_slug"], "joes-bakery");
    }
);

on_both_engines!(
    a_refused_sign_up_says_why_and_creates_nothing,
    |app: TestApp| async move {
        let before = app.accounts().await;
        let client = app.client();
        for (changes, status, says) in [
            (vec![("address", "acme")], 409, "acme is taken"),
            (vec![("address", "www")], 422, "reserved"),
            (vec![("address", "Joe's")], 422, "lowercase letters"),
            (vec![("password", "short")], 422, "at least 10 characters"),
            (vec![("password", "password123")], 422, "too easy to guess"),
            (
                vec![("password", "joes-bakery-2026")],
                422,
                "too easy to guess",
            ),
            (vec![("email", "owner@acme.test")], 409, "already exists"),
            (vec![("email", "not an email")], 422, "email address"),
            (vec![("name", "")], 422, "your name"),
            (
                vec![("website", "http://spam.example")],
                422,
                "could not be sent",
            ),
        ] {
            let response = app.sign_up(&client, &filled(&changes)).await;
            let code = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or_default();
            let message = body["message"].as_str().unwrap_or_default().to_string();
            assert_eq!(code, status, "{changes:?}: {body}");
            assert!(message.contains(says), "{changes:?}: {message}");
            assert_eq!(
                app.accounts().await,
                before,
                "{changes:?} created something"
            );
        }
        // Nobody was signed in by any of it.
        let who: Value = app
            .call_form(&client, "current_member", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(who.is_null(), "{who}");
    }
);

on_both_engines!(
    the_form_is_told_as_you_type_whether_an_address_is_free,
    |app: TestApp| async move {
        let client = app.client();
        let check = |address: &'static str| {
            let (app, client) = (&app, &client);
            async move {
                let response = app
                    .call_form(client, "accounts/check_address", &[("address", address)])
                    .await;
                assert_eq!(response.status(), 200);
                response.json::<Value>().await.unwrap()
            }
        };
        let free = check("joes-bakery").await;
        assert!(free["problem"].is_null(), "{free}");
        assert_eq!(free["suffix"], ".localhost");
        let taken = check("globex").await;
        assert!(taken["problem"].as_str().unwrap().contains("taken"));
        let reserved = check("admin").await;
        assert!(reserved["problem"].as_str().unwrap().contains("reserved"));
    }
);

on_both_engines!(
    sign_ups_from_one_address_are_limited,
    |app: TestApp| async move {
        let client = app.client();
        let mut limited = None;
        for n in 0..15 {
            let address = format!("bakery-{n}");
            let email = format!("joe{n}@bakery.test");
            let response = app
                .sign_up(
                    &client,
                    &filled(&[("address", &address), ("email", &email)]),
                )
                .await;
            if response.status() == 429 {
                limited = Some((n, response));
                break;
            }
        }
        let (n, response) = limited.expect("the sign-ups were never limited");
        assert_eq!(n, 10, "ten are allowed at once");
        assert!(response.headers().contains_key("retry-after"));
        let body: Value = response.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("try again"));
    }
);

/// The newest email in the new tenant's outbox: (recipient, text, html).
async fn last_email(app: &TestApp, tenant_slug: &str) -> (String, String, String) {
    let tenant = app::tenancy::store::tenant_by_slug(&app.db, tenant_slug)
        .await
        .unwrap()
        .unwrap();
    sqlx::query_as(
        "select recipient, body, coalesce(html, '') from outbox where tenant_id = $1 \
         order by created_at desc, id desc limit 1",
    )
    .bind(&tenant.id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

fn link_in(text: &str) -> String {
    let start = text.find("http").expect("a link");
    text[start..].split_whitespace().next().unwrap().to_string()
}

on_both_engines!(
    a_new_owner_verifies_their_email_by_a_link_that_works_once,
    |app: TestApp| async move {
        let client = app.client();
        let response = app.sign_up(&client, &filled(&[])).await;
        assert!(response.status().is_redirection() || response.status().is_success());

        // Until verified: no domains, and the dashboard says why.
        let refused = app
            .call_form(
                &client,
                "site/add_domain",
                &[("host", "joesbakery.example")],
            )
            .await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("Verify your email"));

        let (to, text, html) = last_email(&app, "joes-bakery").await;
        assert_eq!(to, "joe@bakery.test");
        assert!(html.contains("Verify my email"));
        let link = link_in(&text);
        assert!(link.contains("/verify-email?token="), "{link}");
        let path = &link[link.find("/verify-email").unwrap()..];

        let visitor = app.client();
        let verified = visitor.get(app.url(path)).send().await.unwrap();
        assert_eq!(verified.status(), 303);
        assert_eq!(verified.headers()["location"], "/dashboard?verified=1");
        let who: Value = app
            .call_form(&client, "current_member", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(who["email_verified_at"].is_i64(), "{who}");
        let added = app
            .call_form(
                &client,
                "site/add_domain",
                &[("host", "joesbakery.example")],
            )
            .await;
        assert_eq!(added.status(), 200, "{}", added.text().await.unwrap());

        // Once only; and nothing for a link that is not ours.
        let again = visitor.get(app.url(path)).send().await.unwrap();
        assert_eq!(again.status(), 400);
        assert!(again.text().await.unwrap().contains("used already"));
        let forged = visitor
            .get(app.url("/verify-email?token=0123456789abcdef"))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 400);
        // Verified people are not sent more links.
        let resend = app
            .call_form(&client, "accounts/resend_verification", &[])
            .await;
        assert_eq!(resend.status(), 409);
    }
);

on_both_engines!(
    an_expired_link_verifies_nothing_and_a_new_one_can_be_sent,
    |app: TestApp| async move {
        let client = app.client();
        app.sign_up(&client, &filled(&[])).await;
        let (_, text, _) = last_email(&app, "joes-bakery").await;
        let first = link_in(&text);
        sqlx::query("update email_tokens set expires_at = 0")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let path = &first[first.find("/verify-email").unwrap()..];
        let expired = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(expired.status(), 400);
        assert!(expired.text().await.unwrap().contains("expired"));

        let resend = app
            .call_form(&client, "accounts/resend_verification", &[])
            .await;
        assert_eq!(resend.status(), 200);
        let (_, text, _) = last_email(&app, "joes-bakery").await;
        let second = link_in(&text);
        assert_ne!(first, second);
        let path = &second[second.find("/verify-email").unwrap()..];
        let verified = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(verified.status(), 303);
    }
);

on_both_engines!(
    verification_links_are_not_sent_without_end,
    |app: TestApp| async move {
        let client = app.client();
        app.sign_up(&client, &filled(&[])).await;
        for n in 0..10 {
            let resend = app
                .call_form(&client, "accounts/resend_verification", &[])
                .await;
            assert_eq!(resend.status(), 200, "link {n}");
        }
        let refused = app
            .call_form(&client, "accounts/resend_verification", &[])
            .await;
        assert_eq!(refused.status(), 429);
        let sent: i64 =
            sqlx::query_scalar("select count(*) from outbox where recipient = 'joe@bakery.test'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(sent, 11, "the sign-up's link and ten more");
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_mail_server_the_link_is_emailed_in_text_and_html() {
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let port = smtp_server(received.clone()).await;
    let Some(app) = TestApp::spawn_configured(Engine::Sqlite, |config| {
        config.mail = Some(app::server::MailServer {
            url: format!("smtp://127.0.0.1:{port}"),
            from: "BizOSaaS <hello@localhost>".into(),
        })
    })
    .await
    else {
        return;
    };
    app.sign_up(&app.client(), &filled(&[])).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while received.lock().unwrap().is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mail = received.lock().unwrap().join("\n---\n");
    assert!(mail.contains("RCPT TO:<joe@bakery.test>"), "{mail}");
    assert!(
        mail.contains("Subject: Verify your email address for BizOSaaS"),
        "{mail}"
    );
    assert!(
        mail.contains("text/plain") && mail.contains("text/html"),
        "{mail}"
    );
    // The outbox says it went.
    let sent: Option<i64> = sqlx::query_scalar("select sent_at from outbox limit 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(sent.is_some());
}

on_both_engines!(
    a_verification_link_is_not_shown_in_the_outbox_to_the_teams_admins,
    |app: TestApp| async move {
        let client = app.client();
        app.sign_up(&client, &filled(&[])).await;
        let outbox: Value = app
            .call_form(&client, "digest/outbox", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(
            !outbox.to_string().contains("verify-email"),
            "the outbox card lists someone's verification link: {outbox}"
        );
    }
);
