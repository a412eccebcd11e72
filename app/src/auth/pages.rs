//! The sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{Login, LoginCode};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let next = move || use_query_map().read().get("next").unwrap_or_default();
    let error = move || match login.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    view! {
        <Title text="Sign in · BizOSaaS"/>
        <main class="min-h-screen flex items-center justify-center bg-slate-50 px-4">
            <div class="w-full max-w-sm">
                <a href="/" class="block text-center text-2xl font-bold text-slate-900 mb-6">"BizOSaaS"</a>
                <div class="bg-white rounded-xl shadow-sm border border-slate-200 p-6">
                    <h1 class="text-lg font-semibold text-slate-900 mb-4">"Sign in to your dashboard"</h1>
                    <ActionForm action=login attr:class="space-y-4">
                        <input type="hidden" name="next" prop:value=next/>
                        <label class="block">
                            <span class="text-sm font-medium text-slate-700">"Email"</span>
                            <input type="email" name="email" required autocomplete="username" autofocus
                                class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:outline-none focus:ring-2 focus:ring-indigo-500"/>
                        </label>
                        <label class="block">
                            <span class="text-sm font-medium text-slate-700">"Password"</span>
                            <input type="password" name="password" required autocomplete="current-password"
                                class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:outline-none focus:ring-2 focus:ring-indigo-500"/>
                        </label>
                        <Show when=move || error().is_some()>
                            <p role="alert" class="text-sm text-red-700 bg-red-50 rounded-md px-3 py-2">{error}</p>
                        </Show>
                        <button type="submit" disabled=move || login.pending().get()
                            class=format!("{} w-full", crate::ui::ButtonKind::Primary.class())>
                            {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                        </button>
                    </ActionForm>
                </div>
                <p class="mt-4 text-center text-sm text-slate-600">
                    <a href="/reset-password" class="text-indigo-700 underline">"Forgot your password?"</a>
                </p>
                <p class="mt-2 text-center text-sm text-slate-600">
                    "New here? " <a href="/signup" class="text-indigo-700 underline">"Start free"</a>
                </p>
            </div>
        </main>
    }
}

/// `/login/code`: the second step for people with two-factor sign-in on.
#[component]
pub fn CodePage() -> impl IntoView {
    let code = ServerAction::<LoginCode>::new();
    let error = move || match code.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    view! {
        <Title text="Your code · BizOSaaS"/>
        <main class="min-h-screen flex items-center justify-center bg-slate-50 px-4">
            <div class="w-full max-w-sm">
                <a href="/" class="block text-center text-2xl font-bold text-slate-900 mb-6">"BizOSaaS"</a>
                <div class="bg-white rounded-xl shadow-sm border border-slate-200 p-6">
                    <h1 class="text-lg font-semibold text-slate-900 mb-2">"Enter your code"</h1>
                    <p class="text-sm text-slate-600 mb-4">
                        "Open your authenticator app and enter the six-digit code it shows for BizOSaaS."
                    </p>
                    <ActionForm action=code attr:class="space-y-4">
                        <label class="block">
                            <span class="text-sm font-medium text-slate-700">"Code"</span>
                            <input type="text" name="code" required autofocus autocomplete="one-time-code"
                                inputmode="numeric" maxlength="20"
                                class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono tracking-widest focus:outline-none focus:ring-2 focus:ring-indigo-500"/>
                        </label>
                        <Show when=move || error().is_some()>
                            <p role="alert" class="text-sm text-red-700 bg-red-50 rounded-md px-3 py-2">{error}</p>
                        </Show>
                        <button type="submit" disabled=move || code.pending().get()
                            class=format!("{} w-full", crate::ui::ButtonKind::Primary.class())>
                            {move || if code.pending().get() { "Checking…" } else { "Sign in" }}
                        </button>
                    </ActionForm>
                    <p class="mt-4 text-sm text-slate-600">
                        "Lost your phone? Enter one of your recovery codes instead (like " <span class="font-mono">"abcde-fghjk"</span> ")."
                    </p>
                </div>
                <p class="mt-4 text-center text-sm text-slate-600">
                    <a href="/login" class="text-indigo-700 underline">"Start over"</a>
                </p>
            </div>
        </main>
    }
}
