//! The sign-up page: a plain form that works without JavaScript, and with it checks
//! each field as you type and whether the site address is free.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{check_address, SignUp};

const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 \
                     focus:outline-none focus:ring-2 focus:ring-indigo-500";

#[component]
pub fn SignUpPage() -> impl IntoView {
    let sign_up = ServerAction::<SignUp>::new();
    let password = RwSignal::new(String::new());
    let error = move || match sign_up.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    let password_note = move || {
        let length = password.get().chars().count();
        if length == 0 || length >= super::MIN_PASSWORD_CHARS {
            format!(
                "At least {} characters; a few unrelated words work well.",
                super::MIN_PASSWORD_CHARS
            )
        } else {
            format!(
                "{} more characters, please.",
                super::MIN_PASSWORD_CHARS - length
            )
        }
    };
    view! {
        <Title text="Start free · BizOSaaS"/>
        <main class="min-h-screen flex items-center justify-center bg-slate-50 px-4 py-10">
            <div class="w-full max-w-md">
                <a href="/" class="block text-center text-2xl font-bold text-slate-900 mb-6">"BizOSaaS"</a>
                <div class="bg-white rounded-xl shadow-sm border border-slate-200 p-6">
                    <h1 class="text-lg font-semibold text-slate-900">"Start free"</h1>
                    <p class="text-sm text-slate-600 mb-4">
                        "Your business, its website and an AI team at work for it, in a minute. No card needed."
                    </p>
                    <ActionForm action=sign_up attr:class="space-y-4">
                        <label class="block">
                            <span class="text-sm font-medium text-slate-700">"Your name"</span>
                            <input type="text" name="name" required autocomplete="name" autofocus maxlength="100"
                                class=FIELD/>
                        </label>
                        <label class="block">
                            <span class="text-sm font-medium text-slate-700">"Email"</span>
                            <input type="email" name="email" required autocomplete="email" maxlength="254"
                                class=FIELD/>
                        </label>
                        <label class="block">
                            <span class="text-sm font-medium text-slate-700">"Password"</span>
                            <input type="password" name="password" required autocomplete="new-password"
                                minlength=super::MIN_PASSWORD_CHARS.to_string()
                                maxlength=super::MAX_PASSWORD_CHARS.to_string()
                                aria-describedby="password-note"
                                on:input=move |ev| password.set(event_target_value(&ev))
                                class=FIELD/>
                            <span id="password-note" class="mt-1 block text-xs text-slate-500">{password_note}</span>
                        </label>
                        <BusinessFields autofocus=false/>
                        // People never see this field; bots fill it in.
                        <div aria-hidden="true" style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden">
                            <label>"Leave this empty" <input type="text" name="website" tabindex="-1" autocomplete="off"/></label>
                        </div>
                        <Show when=move || error().is_some()>
                            <p role="alert" class="text-sm text-red-700 bg-red-50 rounded-md px-3 py-2">{error}</p>
                        </Show>
                        <button type="submit" disabled=move || sign_up.pending().get()
                            class=format!("{} w-full", crate::ui::ButtonKind::Primary.class())>
                            {move || if sign_up.pending().get() { "Creating your account…" } else { "Create my account" }}
                        </button>
                    </ActionForm>
                </div>
                <p class="mt-4 text-center text-sm text-slate-600">
                    "Already have an account? " <a href="/login" class="text-indigo-700 underline">"Sign in"</a>
                </p>
            </div>
        </main>
    }
}

/// A new business's name and its site address: the address follows the name until the
/// person types one of their own, and says as they type whether it is free.
#[component]
fn BusinessFields(autofocus: bool) -> impl IntoView {
    let business = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let address_typed = RwSignal::new(false);
    // What the availability check was last asked about (after typing pauses).
    let asked = RwSignal::new(String::new());
    let later = crate::ui::Debounce::new(std::time::Duration::from_millis(300));
    Effect::new(move |_| {
        let wanted = address.get();
        later.run(move || asked.set(wanted));
    });
    let check = Resource::new(move || asked.get(), check_address);
    // (colour, words): a problem in red, a free address in green, anything else grey.
    let address_note = move || {
        const NOTE: &str = "mt-1 block text-xs text-slate-500";
        const PROBLEM: &str = "mt-1 block text-xs text-red-700";
        const FREE: &str = "mt-1 block text-xs text-emerald-700";
        let typed = address.get();
        if typed.is_empty() {
            let note = "Where your site will live; you can add your own domain later.";
            return (NOTE, note.to_string());
        }
        if let Some(problem) = super::address_problem(&typed) {
            return (PROBLEM, problem);
        }
        match check.get() {
            Some(Ok(check)) if asked.get() == typed => match check.problem {
                Some(problem) => (PROBLEM, problem),
                None => (FREE, format!("{typed}{} is free.", check.suffix)),
            },
            Some(Err(err)) if asked.get() == typed => (PROBLEM, err.to_string()),
            _ => (NOTE, "Checking…".to_string()),
        }
    };
    let suffix = move || match check.get() {
        Some(Ok(check)) => check.suffix,
        _ => String::new(),
    };
    view! {
                        <label class="block">
                            <span class="text-sm font-medium text-slate-700">"Business name"</span>
                            <input type="text" name="business" required autocomplete="organization" maxlength="100" autofocus=autofocus
                                prop:value=move || business.get()
                                on:input=move |ev| {
                                    let name = event_target_value(&ev);
                                    if !address_typed.get_untracked() {
                                        address.set(super::suggested_address(&name));
                                    }
                                    business.set(name);
                                }
                                class=FIELD/>
                        </label>
                        <label class="block">
                            <span class="text-sm font-medium text-slate-700">"Site address"</span>
                            <span class="mt-1 flex items-center gap-1">
                                <input type="text" name="address" required autocomplete="off" spellcheck="false"
                                    maxlength="40" aria-describedby="address-note"
                                    prop:value=move || address.get()
                                    on:input=move |ev| {
                                        address_typed.set(true);
                                        address.set(event_target_value(&ev).trim().to_lowercase());
                                    }
                                    class="block w-full min-w-0 rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus:outline-none focus:ring-2 focus:ring-indigo-500"/>
                                <Transition fallback=|| ()>
                                    <span class="shrink-0 font-mono text-sm text-slate-500">{suffix}</span>
                                </Transition>
                            </span>
                            <Transition fallback=|| view! { <span class="mt-1 block text-xs text-slate-500">"Where your site will live; you can add your own domain later."</span> }>
                                <span id="address-note" aria-live="polite"
                                    class=move || address_note().0>
                                    {move || address_note().1}
                                </span>
                            </Transition>
                        </label>
    }
}

/// Shown to a member whose email address is not verified yet: what to do, and a way to
/// get the link again.
#[component]
pub fn VerifyEmailBanner(email: String) -> impl IntoView {
    let resend = ServerAction::<super::api::ResendVerification>::new();
    let outcome = move || match resend.value().get() {
        Some(Ok(sent)) => Some(sent),
        Some(Err(err)) => Some(err.to_string()),
        None => None,
    };
    view! {
        <div role="status" data-testid="verify-email"
            class="border-b border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2">
                <p class="min-w-0 break-words">
                    "Check your inbox: open the link we sent to " <strong>{email}</strong>
                    " to verify your address. Until then you cannot connect a domain."
                </p>
                <button type="button" class="shrink-0 font-medium text-amber-900 underline disabled:opacity-50"
                    disabled=move || resend.pending().get()
                    on:click=move |_| { resend.dispatch(super::api::ResendVerification {}); }>
                    {move || if resend.pending().get() { "Sending…" } else { "Send the link again" }}
                </button>
                <span aria-live="polite">{outcome}</span>
            </div>
        </div>
    }
}

/// `/reset-password`: asks for the address to send a link to; with the link's token,
/// asks for the new password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = move || {
        leptos_router::hooks::use_query_map()
            .read()
            .get("token")
            .unwrap_or_default()
    };
    view! {
        <Title text="Reset your password · BizOSaaS"/>
        <main class="min-h-screen flex items-center justify-center bg-slate-50 px-4 py-10">
            <div class="w-full max-w-sm">
                <a href="/" class="block text-center text-2xl font-bold text-slate-900 mb-6">"BizOSaaS"</a>
                <div class="bg-white rounded-xl shadow-sm border border-slate-200 p-6">
                    <Show when=move || !token().is_empty() fallback=RequestReset>
                        <ChooseNewPassword token=token()/>
                    </Show>
                </div>
                <p class="mt-4 text-center text-sm text-slate-600">
                    <a href="/login" class="text-indigo-700 underline">"Back to sign in"</a>
                </p>
            </div>
        </main>
    }
}

#[component]
fn RequestReset() -> impl IntoView {
    let request = ServerAction::<super::api::RequestReset>::new();
    let outcome = move || request.value().get();
    view! {
        <h1 class="text-lg font-semibold text-slate-900">"Forgot your password?"</h1>
        <p class="text-sm text-slate-600 mb-4">"We will email you a link to choose a new one."</p>
        <ActionForm action=request attr:class="space-y-4">
            <label class="block">
                <span class="text-sm font-medium text-slate-700">"Email"</span>
                <input type="email" name="email" required autocomplete="username" autofocus class=FIELD/>
            </label>
            {move || outcome().map(|outcome| match outcome {
                Ok(sent) => view! { <p role="status" class="text-sm text-emerald-800 bg-emerald-50 rounded-md px-3 py-2">{sent}</p> }.into_any(),
                Err(err) => view! { <p role="alert" class="text-sm text-red-700 bg-red-50 rounded-md px-3 py-2">{err.to_string()}</p> }.into_any(),
            })}
            <button type="submit" disabled=move || request.pending().get()
                class=format!("{} w-full", crate::ui::ButtonKind::Primary.class())>
                {move || if request.pending().get() { "Sending…" } else { "Send me a link" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn ChooseNewPassword(token: String) -> impl IntoView {
    let reset = ServerAction::<super::api::ResetPassword>::new();
    let error = move || match reset.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    view! {
        <h1 class="text-lg font-semibold text-slate-900">"Choose a new password"</h1>
        <p class="text-sm text-slate-600 mb-4">"You will be signed out everywhere else."</p>
        <ActionForm action=reset attr:class="space-y-4">
            <input type="hidden" name="token" value=token/>
            <label class="block">
                <span class="text-sm font-medium text-slate-700">"New password"</span>
                <input type="password" name="password" required autocomplete="new-password" autofocus
                    minlength=super::MIN_PASSWORD_CHARS.to_string()
                    maxlength=super::MAX_PASSWORD_CHARS.to_string() class=FIELD/>
                <span class="mt-1 block text-xs text-slate-500">
                    {format!("At least {} characters; a few unrelated words work well.", super::MIN_PASSWORD_CHARS)}
                </span>
            </label>
            <Show when=move || error().is_some()>
                <p role="alert" class="text-sm text-red-700 bg-red-50 rounded-md px-3 py-2">{error}</p>
            </Show>
            <button type="submit" disabled=move || reset.pending().get()
                class=format!("{} w-full", crate::ui::ButtonKind::Primary.class())>
                {move || if reset.pending().get() { "Saving…" } else { "Save and sign in" }}
            </button>
        </ActionForm>
    }
}

/// `/account`: the signed-in person's own details, password and sessions.
#[component]
pub fn AccountPage() -> impl IntoView {
    let workspace = expect_context::<crate::dashboard::Workspace>();
    let member = workspace.member;
    let rename = ServerAction::<super::api::ChangeName>::new();
    let change_password = ServerAction::<super::api::ChangePassword>::new();
    let elsewhere = ServerAction::<super::api::SignOutElsewhere>::new();
    let note = |outcome: Option<(bool, String)>| {
        outcome.map(|(ok, words)| {
            let class = if ok {
                "text-sm text-emerald-800 bg-emerald-50 rounded-md px-3 py-2"
            } else {
                "text-sm text-red-700 bg-red-50 rounded-md px-3 py-2"
            };
            view! { <p role=if ok { "status" } else { "alert" } class=class>{words}</p> }
        })
    };
    let renamed = move || note(said(rename.value().get(), "Your name is saved."));
    let password_changed = move || {
        note(said(
            change_password.value().get(),
            "Your password is changed; you were signed out everywhere else.",
        ))
    };
    let signed_out = move || {
        note(said(
            elsewhere.value().get(),
            "Every other session is signed out.",
        ))
    };
    let verified = member.email_verified_at.is_some();
    view! {
        <Title text="Your account · BizOSaaS"/>
        <h1 class="text-2xl font-bold text-slate-900">"Your account"</h1>
        <crate::ui::Card title="You">
            <ActionForm action=rename attr:class="space-y-4 max-w-md">
                <label class="block">
                    <span class="text-sm font-medium text-slate-700">"Name"</span>
                    <input type="text" name="name" required maxlength="100" autocomplete="name"
                        value=member.name.clone() class=FIELD/>
                </label>
                <p class="text-sm text-slate-700">
                    "Email: " <strong class="break-all">{member.email.clone()}</strong>
                    {if verified { " (verified)" } else { " (not verified yet)" }}
                </p>
                {renamed}
                <button type="submit" disabled=move || rename.pending().get()
                    class=crate::ui::ButtonKind::Primary.class()>"Save name"</button>
            </ActionForm>
        </crate::ui::Card>
        <ChangeEmail/>
        <crate::ui::Card title="Password">
            <ActionForm action=change_password attr:class="space-y-4 max-w-md" attr:data-testid="change-password">
                <label class="block">
                    <span class="text-sm font-medium text-slate-700">"Current password"</span>
                    <input type="password" name="current" required autocomplete="current-password" class=FIELD/>
                </label>
                <label class="block">
                    <span class="text-sm font-medium text-slate-700">"New password"</span>
                    <input type="password" name="password" required autocomplete="new-password"
                        minlength=super::MIN_PASSWORD_CHARS.to_string()
                        maxlength=super::MAX_PASSWORD_CHARS.to_string() class=FIELD/>
                    <span class="mt-1 block text-xs text-slate-500">
                        {format!("At least {} characters. Other devices are signed out.", super::MIN_PASSWORD_CHARS)}
                    </span>
                </label>
                {password_changed}
                <button type="submit" disabled=move || change_password.pending().get()
                    class=crate::ui::ButtonKind::Primary.class()>
                    {move || if change_password.pending().get() { "Changing…" } else { "Change password" }}
                </button>
            </ActionForm>
        </crate::ui::Card>
        <crate::ui::Card title="Two-factor sign-in">
            <crate::two_factor::pages::TwoFactorSummary/>
        </crate::ui::Card>
        <crate::ui::Card title="Sessions">
            <div class="space-y-3">
                <SignIns refresh=Signal::derive(move || (elsewhere.version().get(), change_password.version().get()))/>
                <p class="text-sm text-slate-700">
                    "Signed in on a computer you no longer use, or lost a phone? End every session but this one."
                </p>
                {signed_out}
                <button type="button" data-testid="sign-out-elsewhere"
                    disabled=move || elsewhere.pending().get()
                    on:click=move |_| { elsewhere.dispatch(super::api::SignOutElsewhere {}); }
                    class=crate::ui::ButtonKind::Secondary.class()>"Sign out everywhere else"</button>
            </div>
        </crate::ui::Card>
    }
}

/// What a finished action says: `done`, or its error.
fn said<T>(value: Option<Result<T, crate::error::AppError>>, done: &str) -> Option<(bool, String)> {
    match value? {
        Ok(_) => Some((true, done.to_string())),
        Err(err) => Some((false, err.to_string())),
    }
}

/// `/businesses/new`: another business for someone who has an account; they own it and
/// land on its dashboard.
#[component]
pub fn NewBusinessPage() -> impl IntoView {
    let create = ServerAction::<super::api::CreateBusiness>::new();
    let error = move || match create.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    view! {
        <Title text="Create another business · BizOSaaS"/>
        <crate::ui::Card title="Create another business">
            <p class="mb-4 max-w-md text-sm text-slate-600">
                "Each business has its own site, content, team and AI feed. You will own it, and can switch between your businesses from the menu at the top."
            </p>
            <ActionForm action=create attr:class="space-y-4 max-w-md">
                <BusinessFields autofocus=true/>
                <Show when=move || error().is_some()>
                    <p role="alert" class="text-sm text-red-700 bg-red-50 rounded-md px-3 py-2">{error}</p>
                </Show>
                <button type="submit" disabled=move || create.pending().get()
                    class=crate::ui::ButtonKind::Primary.class()>
                    {move || if create.pending().get() { "Creating…" } else { "Create the business" }}
                </button>
            </ActionForm>
        </crate::ui::Card>
    }
}

/// Where the person is signed in: device, address and last use, each with "Sign out".
/// Asked for once the page is interactive, and again after any change to the sessions:
/// each answer marks this session as used, so the page drawn on the server never holds it.
#[component]
fn SignIns(#[prop(into)] refresh: Signal<(usize, usize)>) -> impl IntoView {
    let end = ServerAction::<super::api::EndSession>::new();
    let list = RwSignal::new(None::<Result<Vec<crate::auth::SignIn>, crate::error::AppError>>);
    Effect::new(move |_| {
        let _ = (refresh.get(), end.version().get());
        leptos::task::spawn_local(async move {
            list.set(Some(super::api::sessions().await));
        });
    });
    move || {
        match list.get() {
        None => view! { <crate::ui::Loading what="your sessions"/> }.into_any(),
        Some(Ok(sign_ins)) => view! {
            <ul class="divide-y divide-slate-100" data-testid="sign-ins">
                {sign_ins.into_iter().map(|sign_in| {
                    let id = sign_in.id.clone();
                    let used = crate::time::day_time_label(sign_in.last_seen_at);
                    let from = sign_in.ip.clone().map(|ip| format!(" from {ip}")).unwrap_or_default();
                    view! {
                        <li class="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm" data-testid="sign-in">
                            <span class="font-medium text-slate-900">{sign_in.device.clone()}</span>
                            {sign_in.current.then(|| view! { <span class="rounded-full bg-emerald-50 px-2 text-xs font-medium text-emerald-800">"this browser"</span> })}
                            <span class="text-slate-600">{format!("last used {used}{from}")}</span>
                            {(!sign_in.current).then(|| view! {
                                <button type="button" class="ml-auto text-red-700 hover:underline"
                                    on:click=move |_| { end.dispatch(super::api::EndSession { id: id.clone() }); }>"Sign out"</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
        Some(Err(err)) => view! { <crate::ui::ErrorNotice message=err.to_string()/> }.into_any(),
    }
    }
}

/// A new email address: confirmed by a link sent to it, with the current password.
#[component]
fn ChangeEmail() -> impl IntoView {
    let change = ServerAction::<super::api::ChangeEmail>::new();
    let outcome = move || {
        change.value().get().map(|result| match result {
            Ok(sent) => view! { <p role="status" class="text-sm text-emerald-800 bg-emerald-50 rounded-md px-3 py-2">{sent}</p> }.into_any(),
            Err(err) => view! { <p role="alert" class="text-sm text-red-700 bg-red-50 rounded-md px-3 py-2">{err.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <crate::ui::Card title="Email address">
            <ActionForm action=change attr:class="space-y-4 max-w-md" attr:data-testid="change-email">
                <label class="block">
                    <span class="text-sm font-medium text-slate-700">"New email address"</span>
                    <input type="email" name="email" required maxlength="254" autocomplete="email" class=FIELD/>
                </label>
                <label class="block">
                    <span class="text-sm font-medium text-slate-700">"Current password"</span>
                    <input type="password" name="current" required autocomplete="current-password" class=FIELD/>
                    <span class="mt-1 block text-xs text-slate-500">"We send a link to the new address; the change happens when you open it."</span>
                </label>
                {outcome}
                <button type="submit" disabled=move || change.pending().get()
                    class=crate::ui::ButtonKind::Primary.class()>
                    {move || if change.pending().get() { "Sending…" } else { "Send the confirmation link" }}
                </button>
            </ActionForm>
        </crate::ui::Card>
    }
}
