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
