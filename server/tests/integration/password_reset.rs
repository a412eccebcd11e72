//! A forgotten password: a link by email that works once for an hour, sets a new
//! password, signs out every other session and signs in; the request says the same for
//! every address.

use reqwest::Client;
use serde_json::Value;

use crate::common::*;

const NEW: &str = "saffron kettle meadow drum";

impl TestApp {
    async fn request_reset(&self, client: &Client, email: &str) -> reqwest::Response {
        self.call_form(client, "accounts/request_reset", &[("email", email)])
            .await
    }

    /// The path of the newest reset link emailed to `email`.
    async fn reset_link_for(&self, email: &str) -> Option<String> {
        let body: Option<String> = sqlx::query_scalar(
            "select body from outbox where recipient = $1 and subject like 'Choose a new%' \
             order by created_at desc, id desc limit 1",
        )
        .bind(email)
        .fetch_optional(&self.db.pool)
        .await
        .unwrap();
        body.map(|body| {
            let start = body.find("/reset-password?token=").expect("a link");
            body[start..].split_whitespace().next().unwrap().to_string()
        })
    }

    async fn who(&self, client: &Client) -> Value {
        self.call_form(client, "current_member", &[])
            .await
            .json()
            .await
            .unwrap()
    }
}

fn token_of(path: &str) -> &str {
    path.split("token=").nth(1).unwrap()
}

on_both_engines!(
    a_reset_link_sets_a_new_password_and_signs_out_everywhere_else,
    |app: TestApp| async move {
        // Signed in on another device before the reset.
        let laptop = app.login_as(ACME).await;
        assert_eq!(app.who(&laptop).await["tenant_slug"], "acme");

        let phone = app.client();
        let answer = app.request_reset(&phone, "Owner@Acme.test").await;
        assert_eq!(answer.status(), 200);
        let said: String = answer.json().await.unwrap();
        assert!(said.contains("If owner@acme.test has an account"), "{said}");
        let link = app
            .reset_link_for("owner@acme.test")
            .await
            .expect("an email");

        // The page of the link asks for the new password.
        let page = phone.get(app.url(&link)).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("Choose a new password"));

        let weak = app
            .call_form(
                &phone,
                "accounts/reset_password",
                &[("token", token_of(&link)), ("password", "password123")],
            )
            .await;
        assert_eq!(weak.status(), 422);
        let reset = app
            .call_form(
                &phone,
                "accounts/reset_password",
                &[("token", token_of(&link)), ("password", NEW)],
            )
            .await;
        assert!(reset.status().is_success() || reset.status().is_redirection());
        assert_eq!(reset.headers()["location"], "/t/acme/dashboard");
        assert_eq!(app.who(&phone).await["tenant_slug"], "acme", "signed in");
        assert!(app.who(&laptop).await.is_null(), "the other session ended");

        // The old password is gone, the new one works, and the link worked once.
        assert_eq!(app.login(&app.client(), ACME).await.status(), 401);
        app.login_as(("owner@acme.test", NEW)).await;
        let again = app
            .call_form(
                &app.client(),
                "accounts/reset_password",
                &[
                    ("token", token_of(&link)),
                    ("password", "another fine long phrase"),
                ],
            )
            .await;
        assert_eq!(again.status(), 422);
        assert!(again.text().await.unwrap().contains("used already"));
    }
);

on_both_engines!(
    a_reset_request_tells_nobody_who_has_an_account,
    |app: TestApp| async move {
        let client = app.client();
        let known = app.request_reset(&client, "owner@acme.test").await;
        let unknown = app.request_reset(&client, "stranger@acme.test").await;
        assert_eq!(known.status(), unknown.status());
        let known: String = known.json().await.unwrap();
        let unknown: String = unknown.json().await.unwrap();
        assert_eq!(
            known.replace("owner@acme.test", "X"),
            unknown.replace("stranger@acme.test", "X")
        );
        assert!(app.reset_link_for("stranger@acme.test").await.is_none());
        assert!(app.reset_link_for("owner@acme.test").await.is_some());
    }
);

on_both_engines!(
    an_expired_reset_link_changes_nothing,
    |app: TestApp| async move {
        let client = app.client();
        app.request_reset(&client, "owner@acme.test").await;
        let link = app.reset_link_for("owner@acme.test").await.unwrap();
        sqlx::query("update email_tokens set expires_at = 0")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let expired = app
            .call_form(
                &client,
                "accounts/reset_password",
                &[("token", token_of(&link)), ("password", NEW)],
            )
            .await;
        assert_eq!(expired.status(), 422);
        assert!(expired.text().await.unwrap().contains("expired"));
        app.login_as(ACME).await;
    }
);

on_both_engines!(
    reset_requests_for_one_address_are_limited,
    |app: TestApp| async move {
        let client = app.client();
        for n in 1..=4 {
            let response = app.request_reset(&client, "owner@acme.test").await;
            assert_eq!(response.status(), 200, "request {n}");
        }
        let limited = app.request_reset(&client, "owner@acme.test").await;
        assert_eq!(limited.status(), 429);
        assert!(limited.headers().contains_key("retry-after"));
    }
);
