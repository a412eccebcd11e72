//! Two-factor sign-in, as a person with an authenticator app uses it: enrolment counts
//! once confirmed, sign-in asks for a code after the password, each code and recovery
//! code works once, turning it off needs both factors, owners can require it of every
//! member (who are sent to set it up, never locked out), and wrong codes are throttled
//! in the database, across processes.

use reqwest::Client;
use serde_json::Value;
use totp_rs::{Builder, Secret, Totp};

use crate::common::*;

/// The phone: an authenticator app holding the key the page showed.
struct Phone(Totp);

impl Phone {
    fn new(key: &str) -> Phone {
        let secret = Secret::try_from_base32(key.replace(' ', "")).expect("a base32 key");
        Phone(Builder::new().with_secret(secret).build().unwrap())
    }

    /// The code shown `steps` 30-second steps from now (0: now).
    fn code(&self, steps: i64) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        self.0.generate((now + steps * 30) as u64).to_string()
    }
}

impl TestApp {
    async fn two_factor(&self, client: &Client) -> Value {
        let response = self.call_form(client, "two_factor/status", &[]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Sets two-factor up as the page does; answers the phone and the recovery codes.
    async fn enrol(&self, client: &Client, password: &str) -> (Phone, Vec<String>) {
        let begun = self
            .call_form(client, "two_factor/begin", &[("password", password)])
            .await;
        assert_eq!(begun.status(), 200);
        let enrolment: Value = begun.json().await.unwrap();
        let phone = Phone::new(enrolment["key"].as_str().unwrap());
        let confirmed = self
            .call_form(client, "two_factor/confirm", &[("code", &phone.code(0))])
            .await;
        assert_eq!(confirmed.status(), 200);
        let codes: Vec<String> = confirmed.json().await.unwrap();
        (phone, codes)
    }

    async fn emails_about(&self, recipient: &str, subject: &str) -> usize {
        let count: i64 =
            sqlx::query_scalar("select count(*) from outbox where recipient = $1 and subject = $2")
                .bind(recipient)
                .bind(subject)
                .fetch_one(&self.db.pool)
                .await
                .unwrap();
        count as usize
    }
}

fn location(response: &reqwest::Response) -> &str {
    response.headers()["location"].to_str().unwrap()
}

on_both_engines!(
    enrolment_counts_once_confirmed_then_sign_in_asks_for_a_code,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let status = app.two_factor(&owner).await;
        assert_eq!(status["on_since"], Value::Null);

        let wrong = app
            .call_form(&owner, "two_factor/begin", &[("password", "not it")])
            .await;
        assert_eq!(wrong.status(), 422);
        let begun = app
            .call_form(&owner, "two_factor/begin", &[("password", ACME.1)])
            .await;
        assert_eq!(begun.status(), 200);
        let enrolment: Value = begun.json().await.unwrap();
        assert!(enrolment["qr_svg"].as_str().unwrap().contains("<svg"));
        let phone = Phone::new(enrolment["key"].as_str().unwrap());
        // The secret is sealed: the database holds no trace of it.
        let stored: String = sqlx::query_scalar("select secret_sealed from two_factor")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let key = enrolment["key"].as_str().unwrap().replace(' ', "");
        assert!(stored.starts_with("v1:") && !stored.to_uppercase().contains(&key));

        // Not confirmed: it does not count, and the password alone still signs in.
        let other = app.client();
        let signed_in = app.login(&other, ACME).await;
        assert_eq!(location(&signed_in), "/t/acme/dashboard");
        assert_eq!(app.two_factor(&owner).await["on_since"], Value::Null);

        let wrong_code = app
            .call_form(&owner, "two_factor/confirm", &[("code", "000000")])
            .await;
        assert_eq!(wrong_code.status(), 422);
        // Kept: a replay later must send this very code, even in a later 30-second step.
        let enrolment_code = phone.code(0);
        let confirmed = app
            .call_form(&owner, "two_factor/confirm", &[("code", &enrolment_code)])
            .await;
        assert_eq!(confirmed.status(), 200);
        let codes: Vec<String> = confirmed.json().await.unwrap();
        assert_eq!(codes.len(), 10);
        let status = app.two_factor(&owner).await;
        assert!(status["on_since"].is_i64());
        assert_eq!(status["recovery_codes_left"], 10);
        assert_eq!(
            app.emails_about(ACME.0, "Two-factor sign-in is on for your BizOSaaS account")
                .await,
            1
        );
        // Recovery codes are kept hashed.
        let hashes: Vec<String> = sqlx::query_scalar("select code_hash from recovery_codes")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(hashes.len(), 10);
        assert!(codes.iter().all(|c| !hashes.contains(c)));

        // Now the password leads to the code, and opens nothing by itself (not even
        // what this browser had open as someone else before).
        let laptop = app.login_as(GLOBEX).await;
        let password_only = app.login(&laptop, ACME).await;
        assert_eq!(location(&password_only), "/login/code");
        let workspace = app.call_form(&laptop, "workspace", &[]).await;
        assert_eq!(workspace.status(), 401);
        let page = laptop
            .get(app.url("/t/acme/dashboard"))
            .send()
            .await
            .unwrap();
        assert!(location(&page).starts_with("/login"));
        let wrong = app
            .call_form(&laptop, "login/code", &[("code", "123456")])
            .await;
        assert_eq!(wrong.status(), 422);
        // The code the enrolment used was taken: the same step never works twice.
        let replayed = app
            .call_form(&laptop, "login/code", &[("code", &enrolment_code)])
            .await;
        assert_eq!(replayed.status(), 422, "{}", replayed.text().await.unwrap());
        let next = phone.code(1);
        let in_ = app
            .call_form(&laptop, "login/code", &[("code", &next)])
            .await;
        assert_eq!(location(&in_), "/t/acme/dashboard");
        assert_eq!(app.call_form(&laptop, "workspace", &[]).await.status(), 200);
        // Another device cannot bring the same code again.
        let tablet = app.client();
        assert_eq!(location(&app.login(&tablet, ACME).await), "/login/code");
        let again = app
            .call_form(&tablet, "login/code", &[("code", &next)])
            .await;
        assert_eq!(again.status(), 422);

        // A recovery code works once, any case, with or without its dash.
        let typed = codes[0].to_uppercase().replace('-', " ");
        let recovered = app
            .call_form(&tablet, "login/code", &[("code", &typed)])
            .await;
        assert_eq!(location(&recovered), "/t/acme/dashboard");
        assert_eq!(app.two_factor(&tablet).await["recovery_codes_left"], 9);
        assert_eq!(
            app.emails_about(ACME.0, "A recovery code was used for your BizOSaaS account")
                .await,
            1
        );
        let phone_lost = app.client();
        assert_eq!(location(&app.login(&phone_lost, ACME).await), "/login/code");
        let spent = app
            .call_form(&phone_lost, "login/code", &[("code", &codes[0])])
            .await;
        assert_eq!(spent.status(), 422);

        // A password reset link stands for the password only: the code is still asked.
        let reset_by_link = app.client();
        assert_eq!(
            app.call_form(
                &reset_by_link,
                "accounts/request_reset",
                &[("email", ACME.0)]
            )
            .await
            .status(),
            200
        );
        let body: String = sqlx::query_scalar(
            "select body from outbox where recipient = $1 and subject like 'Choose a new%'",
        )
        .bind(ACME.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let token = body
            .split("token=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        let reset = app
            .call_form(
                &reset_by_link,
                "accounts/reset_password",
                &[("token", token), ("password", "saffron kettle meadow drum")],
            )
            .await;
        assert_eq!(location(&reset), "/login/code");
        assert_eq!(
            app.call_form(&reset_by_link, "workspace", &[])
                .await
                .status(),
            401
        );
    }
);

on_both_engines!(
    turning_it_off_needs_the_password_and_a_code,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let (phone, codes) = app.enrol(&owner, ACME.1).await;

        let no_code = app
            .call_form(
                &owner,
                "two_factor/turn_off",
                &[("password", ACME.1), ("code", "000000")],
            )
            .await;
        assert_eq!(no_code.status(), 422);
        let no_password = app
            .call_form(
                &owner,
                "two_factor/turn_off",
                &[("password", "not it"), ("code", &phone.code(1))],
            )
            .await;
        assert_eq!(no_password.status(), 422);
        assert!(app.two_factor(&owner).await["on_since"].is_i64());

        // New recovery codes replace the old ones.
        let renewed = app
            .call_form(
                &owner,
                "two_factor/recovery_codes",
                &[("code", &phone.code(1))],
            )
            .await;
        assert_eq!(renewed.status(), 200);
        let fresh: Vec<String> = renewed.json().await.unwrap();
        assert_eq!(fresh.len(), 10);
        let old = app
            .call_form(
                &owner,
                "two_factor/turn_off",
                &[("password", ACME.1), ("code", &codes[1])],
            )
            .await;
        assert_eq!(old.status(), 422, "an old recovery code no longer works");

        let off = app
            .call_form(
                &owner,
                "two_factor/turn_off",
                &[("password", ACME.1), ("code", &fresh[0])],
            )
            .await;
        assert_eq!(off.status(), 200, "{}", off.text().await.unwrap());
        assert_eq!(app.two_factor(&owner).await["on_since"], Value::Null);
        let rows: i64 = sqlx::query_scalar("select count(*) from recovery_codes")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(rows, 0);
        assert_eq!(
            app.emails_about(
                ACME.0,
                "Two-factor sign-in is off for your BizOSaaS account"
            )
            .await,
            1
        );
        assert_eq!(
            location(&app.login(&app.client(), ACME).await),
            "/t/acme/dashboard"
        );
    }
);

on_both_engines!(
    an_owner_can_require_it_and_members_are_sent_to_set_it_up,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let editor = app
            .sign_in_new_member("acme", "editor@acme.test", app::tenancy::Role::Editor)
            .await;
        // Nobody requires what they do not use themselves.
        let refused = app
            .call_form(&owner, "team/require_two_factor", &[("required", "true")])
            .await;
        assert_eq!(refused.status(), 422);
        let admin = app
            .sign_in_new_member("acme", "admin@acme.test", app::tenancy::Role::Admin)
            .await;
        let by_admin = app
            .call_form(&admin, "team/require_two_factor", &[("required", "true")])
            .await;
        assert_eq!(by_admin.status(), 403);

        app.enrol(&owner, ACME.1).await;
        let required = app
            .call_form(&owner, "team/require_two_factor", &[("required", "true")])
            .await;
        assert_eq!(required.status(), 200);
        let team: Value = app
            .call_form(&owner, "team/members", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(team["requires_two_factor"], true);
        let audit: i64 = sqlx::query_scalar(
            "select count(*) from audit_log where action = 'two-factor required'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(audit, 1);

        // The editor's session now opens nothing of acme's...
        let call = app.call_form(&editor, "cms/pages", &[]).await;
        assert_eq!(call.status(), 403);
        let said: Value = call.json().await.unwrap();
        assert_eq!(said["error"], "two_factor_required");
        let page = editor.get(app.url("/t/acme/cms")).send().await.unwrap();
        assert_eq!(
            location(&page),
            "/account/two-factor?next=%2Ft%2Facme%2Fcms"
        );
        let account = editor.get(app.url("/account")).send().await.unwrap();
        assert!(location(&account).starts_with("/account/two-factor"));
        // ...signing in again sends them to set it up...
        let fresh = app.client();
        let signed_in = app
            .login(&fresh, ("editor@acme.test", "member-password"))
            .await;
        assert_eq!(
            location(&signed_in),
            "/account/two-factor?next=%2Ft%2Facme%2Fdashboard"
        );
        // ...where they can, and are never locked out.
        let set_up_page = fresh
            .get(app.url("/account/two-factor"))
            .send()
            .await
            .unwrap();
        assert_eq!(set_up_page.status(), 200);
        let status = app.two_factor(&fresh).await;
        assert_eq!(status["required_by"][0], "Acme Corporation");
        app.enrol(&fresh, "member-password").await;
        assert_eq!(app.call_form(&fresh, "cms/pages", &[]).await.status(), 200);
        assert_eq!(app.call_form(&editor, "cms/pages", &[]).await.status(), 200);
        let team: Value = app
            .call_form(&owner, "team/members", &[])
            .await
            .json()
            .await
            .unwrap();
        let without: Vec<&Value> = team["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["two_factor_since"].is_null())
            .collect();
        assert_eq!(without.len(), 1, "only the admin has none: {without:?}");

        // Stopping the rule opens acme to the admin again.
        assert_eq!(app.call_form(&admin, "cms/pages", &[]).await.status(), 403);
        let optional = app
            .call_form(&owner, "team/require_two_factor", &[("required", "false")])
            .await;
        assert_eq!(optional.status(), 200);
        assert_eq!(app.call_form(&admin, "cms/pages", &[]).await.status(), 200);
    }
);

on_both_engines!(
    wrong_codes_are_throttled_for_the_account_across_processes,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let (phone, _) = app.enrol(&owner, ACME.1).await;
        let beside = app.spawn_web_only_beside(false).await;

        // Wrong codes sent to both processes count together.
        let mut statuses = Vec::new();
        for attempt in 0..8 {
            let server = if attempt % 2 == 0 { &app } else { &beside };
            let client = server.client();
            assert_eq!(location(&server.login(&client, ACME).await), "/login/code");
            let answer = server
                .call_form(&client, "login/code", &[("code", "000000")])
                .await;
            statuses.push(answer.status().as_u16());
            if answer.status() == 429 {
                let said: Value = answer.json().await.unwrap();
                assert!(
                    said["message"].as_str().unwrap().contains("try again in"),
                    "{said}"
                );
            }
        }
        assert_eq!(&statuses[..6], &[422; 6], "five free failures, then a wait");
        assert_eq!(&statuses[6..], &[429, 429]);
        // Even the right code waits until the wait is over.
        let client = beside.client();
        beside.login(&client, ACME).await;
        let right = beside
            .call_form(&client, "login/code", &[("code", &phone.code(1))])
            .await;
        assert_eq!(right.status(), 429);
        beside.stop().await;
    }
);
