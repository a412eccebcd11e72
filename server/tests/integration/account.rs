//! One's own account: the name, the password (the current one is needed) and signing
//! out every other session.

use reqwest::Client;
use serde_json::Value;

use crate::common::*;

const NEW: &str = "saffron kettle meadow drum";

async fn who(app: &TestApp, client: &Client) -> Value {
    app.call_form(client, "current_member", &[])
        .await
        .json()
        .await
        .unwrap()
}

on_both_engines!(a_person_renames_themselves, |app: TestApp| async move {
    let client = app.login_as(ACME).await;
    let renamed = app
        .call_form(
            &client,
            "accounts/change_name",
            &[("name", "  Wile E. Coyote ")],
        )
        .await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(who(&app, &client).await["name"], "Wile E. Coyote");
    let empty = app
        .call_form(&client, "accounts/change_name", &[("name", "  ")])
        .await;
    assert_eq!(empty.status(), 422);
});

on_both_engines!(
    a_new_password_needs_the_current_one_and_signs_out_other_devices,
    |app: TestApp| async move {
        let laptop = app.login_as(ACME).await;
        let phone = app.login_as(ACME).await;
        let wrong = app
            .call_form(
                &phone,
                "accounts/change_password",
                &[("current", "not it"), ("password", NEW)],
            )
            .await;
        assert_eq!(wrong.status(), 422);
        assert!(wrong.text().await.unwrap().contains("current password"));
        let weak = app
            .call_form(
                &phone,
                "accounts/change_password",
                &[("current", ACME.1), ("password", "password123")],
            )
            .await;
        assert_eq!(weak.status(), 422);
        let changed = app
            .call_form(
                &phone,
                "accounts/change_password",
                &[("current", ACME.1), ("password", NEW)],
            )
            .await;
        assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());
        assert_eq!(
            who(&app, &phone).await["tenant_slug"],
            "acme",
            "this device stays"
        );
        assert!(
            who(&app, &laptop).await.is_null(),
            "the other device is out"
        );
        assert_eq!(app.login(&app.client(), ACME).await.status(), 401);
        app.login_as(("owner@acme.test", NEW)).await;
    }
);

on_both_engines!(
    signing_out_everywhere_else_keeps_this_session,
    |app: TestApp| async move {
        let laptop = app.login_as(ACME).await;
        let phone = app.login_as(ACME).await;
        let done = app
            .call_form(&phone, "accounts/sign_out_elsewhere", &[])
            .await;
        assert_eq!(done.status(), 200);
        assert_eq!(who(&app, &phone).await["tenant_slug"], "acme");
        assert!(who(&app, &laptop).await.is_null());
        // Signing in again works as ever.
        let again = app.login_as(ACME).await;
        assert_eq!(who(&app, &again).await["tenant_slug"], "acme");
    }
);

const FIREFOX_ON_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_ON_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// A browser of its own (cookies kept, redirects not followed) that says what it is.
async fn browser(app: &TestApp, user_agent: &str, who: (&str, &str)) -> Client {
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .unwrap();
    let response = app.login(&client, who).await;
    assert!(response.status().is_redirection() || response.status().is_success());
    client
}

async fn emails_to(app: &TestApp, recipient: &str) -> Vec<(String, String)> {
    sqlx::query_as("select subject, body from outbox where recipient = $1 order by created_at, id")
        .bind(recipient)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

on_both_engines!(
    each_session_is_listed_and_can_be_signed_out_on_its_own,
    |app: TestApp| async move {
        let laptop = browser(&app, FIREFOX_ON_WINDOWS, ACME).await;
        let phone = browser(&app, CHROME_ON_LINUX, ACME).await;
        let listed: Vec<Value> = app
            .call_form(&phone, "accounts/sessions", &[])
            .await
            .json()
            .await
            .unwrap();
        let devices: Vec<(&str, bool)> = listed
            .iter()
            .map(|s| {
                (
                    s["device"].as_str().unwrap(),
                    s["current"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(devices.len(), 2);
        assert!(devices.contains(&("Chrome on Linux", true)));
        assert!(devices.contains(&("Firefox on Windows", false)));
        assert!(listed[0]["last_seen_at"].is_i64());

        let laptops = listed.iter().find(|s| s["current"] == false).unwrap();
        let id = laptops["id"].as_str().unwrap();
        // Nobody else can end it, and an unknown one is not found.
        let globex = app.login_as(GLOBEX).await;
        let theirs = app
            .call_form(&globex, "accounts/end_session", &[("id", id)])
            .await;
        assert_eq!(theirs.status(), 404);
        assert_eq!(who(&app, &laptop).await["tenant_slug"], "acme");
        let ended = app
            .call_form(&phone, "accounts/end_session", &[("id", id)])
            .await;
        assert_eq!(ended.status(), 200);
        assert!(
            who(&app, &laptop).await.is_null(),
            "the laptop is signed out"
        );
        let in_address = app
            .call_form_in(&laptop, "acme", "current_member", &[])
            .await
            .json::<Value>()
            .await
            .unwrap();
        assert!(in_address.is_null(), "by any address");
        assert_eq!(
            who(&app, &phone).await["tenant_slug"],
            "acme",
            "the phone stays"
        );
        let again = app
            .call_form(&phone, "accounts/end_session", &[("id", id)])
            .await;
        assert_eq!(again.status(), 404);
        let listed: Vec<Value> = app
            .call_form(&phone, "accounts/sessions", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);

        // Signing out with the button ends the sign-in too.
        let out = phone.post(app.url("/logout")).send().await.unwrap();
        assert_eq!(out.status(), 303);
        let ended: i64 =
            sqlx::query_scalar("select count(*) from sign_ins where ended_at is not null")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(ended, 2);
    }
);

on_both_engines!(
    a_sign_in_from_a_device_never_used_before_is_emailed,
    |app: TestApp| async move {
        browser(&app, CHROME_ON_LINUX, ACME).await;
        browser(&app, CHROME_ON_LINUX, ACME).await;
        let news = |emails: Vec<(String, String)>| {
            emails
                .into_iter()
                .filter(|(subject, _)| subject.contains("New sign-in"))
                .collect::<Vec<_>>()
        };
        assert!(
            news(emails_to(&app, ACME.0).await).is_empty(),
            "the first sign-in and the same device again are not news"
        );
        browser(&app, FIREFOX_ON_WINDOWS, ACME).await;
        let told = news(emails_to(&app, ACME.0).await);
        assert_eq!(told.len(), 1);
        assert!(told[0].1.contains("Firefox on Windows"), "{}", told[0].1);
        assert!(told[0].1.contains("/account"));
    }
);

on_both_engines!(
    a_new_email_address_counts_once_its_link_is_opened,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let change = |email: &'static str, current: &'static str| {
            let client = client.clone();
            let app = &app;
            async move {
                app.call_form(
                    &client,
                    "accounts/change_email",
                    &[("email", email), ("current", current)],
                )
                .await
            }
        };
        assert_eq!(change("wile@acme.test", "not it").await.status(), 422);
        assert_eq!(change(GLOBEX.0, ACME.1).await.status(), 409);
        assert_eq!(change("not an address", ACME.1).await.status(), 422);
        let asked = change(" Wile@Acme.TEST ", ACME.1).await;
        assert_eq!(asked.status(), 200, "{}", asked.text().await.unwrap());

        // Nothing changes until the link is opened.
        assert_eq!(who(&app, &client).await["email"], ACME.0);
        let sent = emails_to(&app, "wile@acme.test").await;
        assert_eq!(sent.len(), 1);
        let body = &sent[0].1;
        let start = body.find("/confirm-email?token=").expect("a link");
        let path = body[start..].split_whitespace().next().unwrap().to_string();
        let opened = app.client().get(app.url(&path)).send().await.unwrap();
        assert_eq!(opened.status(), 303);
        assert_eq!(opened.headers()["location"], "/account?email_changed=1");
        assert_eq!(who(&app, &client).await["email"], "wile@acme.test");
        assert!(who(&app, &client).await["email_verified_at"].is_i64());
        assert_eq!(app.login(&app.client(), ACME).await.status(), 401);
        app.login_as(("wile@acme.test", ACME.1)).await;
        // The old address is told; the link works once.
        let told = emails_to(&app, ACME.0).await;
        assert!(told
            .iter()
            .any(|(subject, body)| subject.contains("was changed")
                && body.contains("wile@acme.test")));
        let reused = app.client().get(app.url(&path)).send().await.unwrap();
        assert_eq!(reused.status(), 400);
    }
);
