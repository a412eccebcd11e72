//! `/account/two-factor`: set up two-factor sign-in (scan, confirm with a code, save the
//! recovery codes), make new recovery codes, turn it off. It stands outside the
//! business's pages so a business that requires two-factor can send people here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_two_factor, BeginTwoFactor, ConfirmTwoFactor, NewRecoveryCodes, TurnOffTwoFactor,
};
use super::TwoFactorStatus;
use crate::error::AppError;
use crate::ui::{ButtonKind, ErrorNotice, Loading};

const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 \
                     focus:outline-none focus:ring-2 focus:ring-indigo-500";
const CODE_FIELD: &str = "mt-1 block w-40 rounded-md border border-slate-300 px-3 py-2 \
                          font-mono tracking-widest focus:outline-none focus:ring-2 focus:ring-indigo-500";

/// Where "continue" goes: `next` when it is a path on this site, the account page if not.
pub fn continue_to(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_string()
        }
        _ => "/account".to_string(),
    }
}

/// The error of a finished action, if it failed.
fn failure<T>(value: Option<Result<T, AppError>>) -> Option<String> {
    match value {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    }
}

/// The reason a form was refused, under it, while there is one.
#[component]
fn Failure(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|text| view! { <ErrorNotice message=text/> })
    }
}

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let query = use_query_map();
    let next = Signal::derive(move || continue_to(query.read().get("next").as_deref()));
    let begin = ServerAction::<BeginTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let renew = ServerAction::<NewRecoveryCodes>::new();
    let turn_off = ServerAction::<TurnOffTwoFactor>::new();
    // Loaded in the browser only: it is the person's, and changes as they act here.
    let status = RwSignal::new(None::<Result<TwoFactorStatus, AppError>>);
    Effect::new(move |_| {
        let _ = (confirm.version().get(), turn_off.version().get());
        leptos::task::spawn_local(async move {
            status.set(Some(load_two_factor().await));
        });
    });
    // Turning it off starts the page over: set up again with the password.
    Effect::new(move |_| {
        if let Some(Ok(())) = turn_off.value().get() {
            begin.value().set(None);
        }
    });
    let new_codes = move || {
        confirm
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| renew.value().get().and_then(Result::ok))
    };
    view! {
        <Title text="Two-factor sign-in · BizOSaaS"/>
        <main class="min-h-screen bg-slate-50 px-4 py-10">
            <div class="mx-auto w-full max-w-lg">
                <a href="/" class="block text-center text-2xl font-bold text-slate-900 mb-6">"BizOSaaS"</a>
                <section class="bg-white rounded-xl shadow-sm border border-slate-200 p-6 space-y-4">
                    <h1 class="text-lg font-semibold text-slate-900">"Two-factor sign-in"</h1>
                    {move || match (new_codes(), status.get()) {
                        (Some(codes), _) => view! { <RecoveryCodes codes next renew/> }.into_any(),
                        (None, None) => view! { <Loading what="your sign-in settings"/> }.into_any(),
                        (None, Some(Err(err))) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                        (None, Some(Ok(status))) if status.on_since.is_some() => {
                            view! { <Manage status renew turn_off/> }.into_any()
                        }
                        (None, Some(Ok(status))) => view! { <Enrol status begin confirm/> }.into_any(),
                    }}
                    <Show when=move || matches!(turn_off.value().get(), Some(Ok(())))>
                        <p role="status" class="text-sm text-emerald-800 bg-emerald-50 rounded-md px-3 py-2">
                            "Two-factor sign-in is off. Signing in needs only your password now."
                        </p>
                    </Show>
                </section>
                <p class="mt-4 text-center text-sm text-slate-600">
                    <a href=next rel="external" class="text-indigo-700 underline">{move || if next.get() == "/account" { "Back to your account" } else { "Back" }}</a>
                </p>
            </div>
        </main>
    }
}

/// The account page's word on two-factor: on or off, and a link to change it.
#[component]
pub fn TwoFactorSummary() -> impl IntoView {
    let status = RwSignal::new(None::<Result<TwoFactorStatus, AppError>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            status.set(Some(load_two_factor().await));
        });
    });
    move || match status.get() {
        None => view! { <Loading what="two-factor sign-in"/> }.into_any(),
        Some(Err(err)) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
        Some(Ok(status)) => {
            let (words, action) = match status.on_since {
                Some(_) => (
                    format!(
                        "On: signing in asks for a code from your authenticator app. {} recovery codes left.",
                        status.recovery_codes_left
                    ),
                    "Manage two-factor sign-in",
                ),
                None => (
                    "Off: your password alone signs you in. Add a code from your phone so a stolen password is not enough.".to_string(),
                    "Set up two-factor sign-in",
                ),
            };
            view! {
                <p class="text-sm text-slate-700" data-testid="two-factor-summary">{words}</p>
                <a href="/account/two-factor" rel="external" class=format!("mt-3 {}", ButtonKind::Secondary.class())>{action}</a>
            }
            .into_any()
        }
    }
}

/// Off: why, then the password, then the QR code and the first code.
#[component]
fn Enrol(
    status: TwoFactorStatus,
    begin: ServerAction<BeginTwoFactor>,
    confirm: ServerAction<ConfirmTwoFactor>,
) -> impl IntoView {
    let required = (!status.required_by.is_empty()).then(|| {
        let names = status.required_by.join(", ");
        view! {
            <p role="alert" class="text-sm text-amber-900 bg-amber-50 rounded-md px-3 py-2" data-testid="two-factor-required">
                {format!("{names} asks every member to sign in with a code from an authenticator app. Set it up to continue.")}
            </p>
        }
    });
    let begin_failed = Signal::derive(move || failure(begin.value().get()));
    let confirm_failed = Signal::derive(move || failure(confirm.value().get()));
    view! {
        {required}
        {move || match begin.value().get() {
            Some(Ok(enrolment)) => view! {
                <ol class="space-y-4 text-sm text-slate-700">
                    <li>
                        <p class="font-medium text-slate-900">"1. Scan this code with your authenticator app"</p>
                        <p class="text-slate-600">"Google Authenticator, Microsoft Authenticator, 1Password, Authy… any app for six-digit codes works."</p>
                        <div class="mx-auto my-3 w-52" role="img" aria-label="QR code for your authenticator app"
                            data-testid="two-factor-qr" inner_html=enrolment.qr_svg.clone()></div>
                        <p class="text-slate-600">"Cannot scan? Type this key into the app instead:"</p>
                        <p class="mt-1 font-mono text-base text-slate-900 break-all select-all" data-testid="two-factor-key">{enrolment.key.clone()}</p>
                    </li>
                    <li>
                        <ActionForm action=confirm attr:class="space-y-3">
                            <label class="block">
                                <span class="font-medium text-slate-900">"2. Enter the six-digit code the app shows"</span>
                                <input type="text" name="code" required autofocus inputmode="numeric"
                                    autocomplete="one-time-code" maxlength="7" class=CODE_FIELD/>
                            </label>
                            <Failure message=confirm_failed/>
                            <button type="submit" class=ButtonKind::Primary.class() disabled=move || confirm.pending().get()>
                                {move || if confirm.pending().get() { "Checking…" } else { "Turn on two-factor sign-in" }}
                            </button>
                        </ActionForm>
                    </li>
                </ol>
            }.into_any(),
            _ => view! {
                <p class="text-sm text-slate-700">
                    "After your password, signing in will ask for a six-digit code from an app on your phone, so a stolen password alone cannot open your account."
                </p>
                <ActionForm action=begin attr:class="space-y-3">
                    <label class="block">
                        <span class="text-sm font-medium text-slate-700">"Your password"</span>
                        <input type="password" name="password" required autocomplete="current-password" class=FIELD/>
                    </label>
                    <Failure message=begin_failed/>
                    <button type="submit" class=ButtonKind::Primary.class() disabled=move || begin.pending().get()>
                        {move || if begin.pending().get() { "Checking…" } else { "Set up two-factor sign-in" }}
                    </button>
                </ActionForm>
            }.into_any(),
        }}
    }
}

/// On: since when, recovery codes left; new codes, or off (password and code).
#[component]
fn Manage(
    status: TwoFactorStatus,
    renew: ServerAction<NewRecoveryCodes>,
    turn_off: ServerAction<TurnOffTwoFactor>,
) -> impl IntoView {
    let since = status
        .on_since
        .map(crate::time::day_time_label)
        .unwrap_or_default();
    let left = status.recovery_codes_left;
    let few = left < 3;
    let renew_failed = Signal::derive(move || failure(renew.value().get()));
    let off_failed = Signal::derive(move || failure(turn_off.value().get()));
    let required = (!status.required_by.is_empty()).then(|| {
        format!(
            "{} requires it: turned off, you will be asked to set it up again there.",
            status.required_by.join(", ")
        )
    });
    view! {
        <p class="text-sm text-slate-700" data-testid="two-factor-on">
            <span class="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800">"On"</span>
            {format!(" since {since}. Signing in asks for a code from your authenticator app after your password.")}
        </p>
        <p class=if few { "text-sm text-amber-900 bg-amber-50 rounded-md px-3 py-2" } else { "text-sm text-slate-700" }
            data-testid="recovery-codes-left">
            {format!("{left} of {} recovery codes left.", super::RECOVERY_CODES)}
            {few.then_some(" Make new ones before you run out.")}
        </p>
        <ActionForm action=renew attr:class="space-y-3 border-t border-slate-100 pt-4">
            <h2 class="text-sm font-semibold text-slate-900">"New recovery codes"</h2>
            <label class="block">
                <span class="text-sm text-slate-700">"A code from your app"</span>
                <input type="text" name="code" required inputmode="numeric" autocomplete="one-time-code" class=CODE_FIELD/>
            </label>
            <Failure message=renew_failed/>
            <button type="submit" class=ButtonKind::Secondary.class() disabled=move || renew.pending().get()>
                "Make new recovery codes"
            </button>
        </ActionForm>
        <ActionForm action=turn_off attr:class="space-y-3 border-t border-slate-100 pt-4">
            <h2 class="text-sm font-semibold text-slate-900">"Turn off"</h2>
            {required.map(|words| view! { <p class="text-sm text-amber-900">{words}</p> })}
            <label class="block">
                <span class="text-sm text-slate-700">"Your password"</span>
                <input type="password" name="password" required autocomplete="current-password" class=FIELD/>
            </label>
            <label class="block">
                <span class="text-sm text-slate-700">"A code from your app, or a recovery code"</span>
                <input type="text" name="code" required autocomplete="one-time-code" class=CODE_FIELD/>
            </label>
            <Failure message=off_failed/>
            <button type="submit" class=ButtonKind::Danger.class() disabled=move || turn_off.pending().get()>
                "Turn off two-factor sign-in"
            </button>
        </ActionForm>
    }
}

/// The recovery codes, this once: to print, download or copy, then continue.
#[component]
fn RecoveryCodes(
    codes: Vec<String>,
    #[prop(into)] next: Signal<String>,
    renew: ServerAction<NewRecoveryCodes>,
) -> impl IntoView {
    let file = format!(
        "BizOSaaS recovery codes. Each works once, in place of a code from your app.\n\n{}\n",
        codes.join("\n")
    );
    let download = format!("data:text/plain;charset=utf-8,{}", url_encoded(&file));
    let renewed = renew.value().get_untracked().is_some();
    view! {
        <p role="status" class="text-sm text-emerald-800 bg-emerald-50 rounded-md px-3 py-2">
            {if renewed { "New recovery codes are made; the old ones no longer work." } else { "Two-factor sign-in is on." }}
        </p>
        <h2 class="text-sm font-semibold text-slate-900">"Save your recovery codes"</h2>
        <p class="text-sm text-slate-700">
            "If you lose your phone, each of these signs you in once instead of a code. They are shown only now: download them or write them down, and keep them somewhere safe."
        </p>
        <ol class="grid grid-cols-2 gap-2 rounded-lg bg-slate-50 p-4 font-mono text-sm text-slate-900" data-testid="recovery-codes">
            {codes.into_iter().map(|code| view! { <li>{code}</li> }).collect_view()}
        </ol>
        <div class="flex flex-wrap gap-3">
            <a href=download download="bizosaas-recovery-codes.txt" class=ButtonKind::Secondary.class()>"Download the codes"</a>
            <a href=next rel="external" class=ButtonKind::Primary.class()>"I have saved them, continue"</a>
        </div>
    }
}

/// Text as a URL component (a data: link), without a browser API so it also renders on
/// the server.
fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn continue_goes_only_to_paths_on_this_site() {
        assert_eq!(
            super::continue_to(Some("/t/acme/dashboard")),
            "/t/acme/dashboard"
        );
        assert_eq!(super::continue_to(Some("//evil.example")), "/account");
        assert_eq!(super::continue_to(Some("/\\evil.example")), "/account");
        assert_eq!(super::continue_to(Some("https://evil.example")), "/account");
        assert_eq!(super::continue_to(None), "/account");
    }

    #[test]
    fn the_download_link_carries_the_codes_encoded() {
        assert_eq!(super::url_encoded("a b\nc-d"), "a%20b%0Ac-d");
    }
}
