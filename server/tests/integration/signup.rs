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
        assert_eq!(response.headers()["location"], "/dashboard");
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
        let dashboard = client.get(app.url("/dashboard")).send().await.unwrap();
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
