//! `/t/{slug}/dashboard/welcome`: three steps (your business, your look, build), each
//! answer kept as it is given; and the dashboard's reminder while it is unfinished.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{load_onboarding, Build, SaveAnswers, Skip};
use super::{Answers, BusinessKind, Onboarding, Stage, Tone};
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::{ButtonKind, Card, ErrorNotice, Loading, ProgressBar, StatusBadge};

const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 \
                     focus:outline-none focus:ring-2 focus:ring-indigo-500";

#[component]
pub fn WelcomePage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let loaded = Resource::new(|| (), |_| load_onboarding());
    let manages = workspace.member.role.allows(Role::Admin);
    view! {
        <Title text="Welcome · BizOSaaS"/>
        {if manages {
            view! {
                <Suspense fallback=|| view! { <Loading what="your setup"/> }>
                    {move || Suspend::new(async move {
                        match loaded.await {
                            Ok(state) => view! { <Wizard state/> }.into_any(),
                            Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                        }
                    })}
                </Suspense>
            }.into_any()
        } else {
            view! {
                <Card title="Welcome">
                    <p class="text-sm text-slate-600">"The owners and admins of this business set up its site."</p>
                </Card>
            }.into_any()
        }}
    }
}

/// Which screen of the wizard is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Screen {
    Business,
    Look,
    Build,
}

#[component]
fn Wizard(state: Onboarding) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let business = workspace.member.tenant_name.clone();
    let dashboard = workspace.href("/dashboard");
    let answers = RwSignal::new(state.answers.clone());
    // Where a returning owner left off. Set once the page is interactive: the server
    // draws the first screen, so the theme editor's own loading happens in the browser.
    let resume = match state.stage {
        Stage::Building | Stage::Built | Stage::Failed => Screen::Build,
        _ if !state.answers.problems().is_empty() => Screen::Business,
        _ => Screen::Look,
    };
    let screen = RwSignal::new(Screen::Business);
    Effect::new(move |_| screen.set(resume));
    let save = ServerAction::<SaveAnswers>::new();
    let skip = ServerAction::<Skip>::new();
    let problems = RwSignal::new(Vec::<String>::new());
    let next_from_business = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let given = answers.get_untracked();
        let found = given.problems();
        problems.set(found.clone());
        if found.is_empty() {
            save.dispatch(SaveAnswers { answers: given });
            screen.set(Screen::Look);
        }
    };
    Effect::new({
        let dashboard = dashboard.clone();
        move |_| {
            if let Some(Ok(())) = skip.value().get() {
                let _ = window().location().set_href(&dashboard);
            }
        }
    });
    let step_class = move |this: Screen| {
        if screen.get() == this {
            "font-semibold text-indigo-700"
        } else {
            "text-slate-500"
        }
    };
    view! {
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-2xl font-bold text-slate-900">{format!("Welcome! Let's set up {business}")}</h1>
            <button type="button" class="text-sm text-slate-700 underline" data-testid="skip"
                on:click=move |_| { skip.dispatch(Skip {}); }>"Skip for now"</button>
        </div>
        <ol class="flex gap-4 text-sm" aria-label="Steps">
            <li class=move || step_class(Screen::Business)>"1. Your business"</li>
            <li class=move || step_class(Screen::Look)>"2. Your look"</li>
            <li class=move || step_class(Screen::Build)>"3. Your site"</li>
        </ol>
        <Show when=move || screen.get() == Screen::Business>
            <Card title="Your business">
                <form class="space-y-4 max-w-xl" on:submit=next_from_business data-testid="business-step">
                    <label class="block">
                        <span class="text-sm font-medium text-slate-700">"What does your business sell or do?"</span>
                        <textarea name="offer" rows="2" maxlength=super::MAX_ANSWER_CHARS.to_string() class=FIELD
                            placeholder="Sourdough bread and pastries, baked every morning"
                            prop:value=move || answers.with(|a| a.offer.clone())
                            on:input=move |ev| answers.update(|a| a.offer = event_target_value(&ev))></textarea>
                    </label>
                    <label class="block">
                        <span class="text-sm font-medium text-slate-700">"Who is it for?"</span>
                        <input type="text" name="audience" maxlength=super::MAX_ANSWER_CHARS.to_string() class=FIELD
                            placeholder="Neighbours, cafés and anyone who loves good bread"
                            prop:value=move || answers.with(|a| a.audience.clone())
                            on:input=move |ev| answers.update(|a| a.audience = event_target_value(&ev))/>
                    </label>
                    <fieldset>
                        <legend class="text-sm font-medium text-slate-700">"What kind of business is it?"</legend>
                        <div class="mt-1 grid gap-1 sm:grid-cols-2">
                            {BusinessKind::ALL.into_iter().map(|kind| view! {
                                <label class="flex items-center gap-2 text-sm text-slate-800">
                                    <input type="radio" name="kind" value=kind.as_str()
                                        prop:checked=move || answers.with(|a| a.kind == kind)
                                        on:change=move |_| answers.update(|a| a.kind = kind)/>
                                    {kind.label()}
                                </label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <fieldset>
                        <legend class="text-sm font-medium text-slate-700">"How should your site sound?"</legend>
                        <div class="mt-1 flex flex-wrap gap-4">
                            {Tone::ALL.into_iter().map(|tone| view! {
                                <label class="flex items-center gap-2 text-sm text-slate-800">
                                    <input type="radio" name="tone" value=tone.as_str()
                                        prop:checked=move || answers.with(|a| a.tone == tone)
                                        on:change=move |_| answers.update(|a| a.tone = tone)/>
                                    {tone.as_str()}
                                </label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <Show when=move || !problems.with(Vec::is_empty)>
                        <p role="alert" class="text-sm text-red-700 bg-red-50 rounded-md px-3 py-2">{move || problems.get().join(" ")}</p>
                    </Show>
                    <button type="submit" class=ButtonKind::Primary.class()>"Next: your look"</button>
                </form>
            </Card>
        </Show>
        <Show when=move || screen.get() == Screen::Look>
            <p class="text-sm text-slate-600">"Choose your colours and fonts; the preview shows your home page. Save them, then go on. You can change them any time in Settings."</p>
            <crate::tenancy::pages::ThemeEditor/>
            <div class="flex gap-3">
                <button type="button" class=ButtonKind::Secondary.class() on:click=move |_| screen.set(Screen::Business)>"Back"</button>
                <button type="button" class=ButtonKind::Primary.class() data-testid="to-build" on:click=move |_| screen.set(Screen::Build)>"Next: build my site"</button>
            </div>
        </Show>
        <Show when=move || screen.get() == Screen::Build>
            <BuildStep answers=answers.get_untracked() started=state.stage back=Callback::new(move |_| screen.set(Screen::Look))/>
        </Show>
    }
}

/// "Build my site", then the build's steps as they happen, and the live site's address.
#[component]
fn BuildStep(answers: Answers, started: Stage, back: Callback<()>) -> impl IntoView {
    let build = ServerAction::<Build>::new();
    let asked = RwSignal::new(started != Stage::Answering && started != Stage::Skipped);
    // The build is followed by asking again every ~0.7 s while it runs.
    let tick = RwSignal::new(0_u32);
    let progress = Resource::new(
        move || (tick.get(), build.version().get()),
        |_| load_onboarding(),
    );
    Effect::new(move |_| {
        if let Some(Ok(state)) = progress.get() {
            if state.stage == Stage::Building {
                set_timeout(
                    move || tick.update(|t| *t += 1),
                    std::time::Duration::from_millis(700),
                );
            }
        }
    });
    let start = Callback::new({
        let answers = answers.clone();
        move |_: ()| {
            asked.set(true);
            build.dispatch(Build {
                answers: answers.clone(),
            });
        }
    });
    let build_error = move || match build.value().get() {
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    view! {
        <Card title="Your site">
            <Show when=move || asked.get() fallback={
                let answers = answers.clone();
                move || view! {
                    <p class="text-sm text-slate-700">
                        {format!("We will write a home page, an about page and a contact page, three {} and a first blog post draft from what you told us: {} for {}, in a {} tone.",
                            answers.kind.offers().to_lowercase(), answers.offer.trim(), answers.audience.trim(), answers.tone.as_str())}
                    </p>
                    <div class="mt-4 flex gap-3">
                        <button type="button" class=ButtonKind::Secondary.class() on:click=move |_| back.run(())>"Back"</button>
                        <button type="button" class=ButtonKind::Primary.class() data-testid="build" on:click=move |_| start.run(())>"Build my site"</button>
                    </div>
                }
            }>
                <Show when=move || build_error().is_some()>
                    <ErrorNotice message=build_error().unwrap_or_default()/>
                </Show>
                <Transition fallback=|| view! { <Loading what="the build"/> }>
                    {move || progress.get().map(|state| match state {
                        Ok(state) => view! { <BuildProgress state start_again=start/> }.into_any(),
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    })}
                </Transition>
            </Show>
        </Card>
    }
}

#[component]
fn BuildProgress(state: Onboarding, start_again: Callback<()>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let done = state
        .steps
        .iter()
        .filter(|s| s.status == crate::activity::TaskStatus::Completed)
        .count();
    let total = state.steps.len().max(1);
    let overall = i64::try_from(done * 100 / total).unwrap_or(0);
    view! {
        <div aria-live="polite" data-testid="build-progress">
            <ProgressBar value=Signal::derive(move || overall) label="Building your site"/>
            <ul class="mt-4 divide-y divide-slate-100" data-testid="build-steps">
                {state.steps.iter().map(|step| {
                    let status = step.status;
                    view! {
                        <li class="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm" data-testid="build-step">
                            <StatusBadge status=Signal::derive(move || status)/>
                            <span class="font-medium text-slate-900">{step.title()}</span>
                            <span class="text-slate-600">{step.error.clone().or_else(|| step.summary.clone()).unwrap_or_default()}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {match state.stage {
                Stage::Built => view! {
                    <div class="mt-4 rounded-md bg-emerald-50 px-4 py-3 text-emerald-900" role="status" data-testid="site-live">
                        <p class="font-semibold">"Your site is live at "
                            <a class="underline" href=state.site_url.clone() rel="external" target="_blank" data-testid="site-link">{state.site_url.clone()}</a>
                        </p>
                        <p class="mt-1 text-sm">"Edit any page in Content; your offers and the blog post are drafts waiting for you."</p>
                        <p class="mt-3 flex gap-4 text-sm">
                            <a class="font-medium underline" href=workspace.href("/cms")>"Open Content"</a>
                            <a class="font-medium underline" href=workspace.href("/dashboard")>"Go to the dashboard"</a>
                        </p>
                    </div>
                }.into_any(),
                Stage::Failed => view! {
                    <div class="mt-4 space-y-3">
                        <ErrorNotice message="The build stopped; the step above says why. Your answers are kept."/>
                        <button type="button" class=ButtonKind::Primary.class() on:click=move |_| start_again.run(())>"Try again"</button>
                    </div>
                }.into_any(),
                _ => view! { <p class="mt-4 text-sm text-slate-600">"This takes a few seconds; you can follow it in the dashboard's feed too."</p> }.into_any(),
            }}
        </div>
    }
}

/// On the dashboard, while the wizard is unfinished: a way back to it.
#[component]
pub fn WelcomeReminder() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    if !workspace.member.role.allows(Role::Admin) {
        return ().into_any();
    }
    let state = Resource::new(|| (), |_| load_onboarding());
    let href = workspace.href("/dashboard/welcome");
    view! {
        <Transition fallback=|| ()>
            {move || {
                let href = href.clone();
                state.get().and_then(|s| s.ok()).filter(|s| s.offered && s.stage == Stage::Answering).map(move |_| view! {
                    <div class="rounded-xl border border-indigo-200 bg-indigo-50 px-5 py-4 text-indigo-950" data-testid="welcome-reminder">
                        <p class="font-semibold">"Your site is waiting for its first pages"</p>
                        <p class="mt-1 text-sm">"Answer three questions and we will write them for you."</p>
                        <a class=format!("{} mt-3", ButtonKind::Primary.class()) href=href>"Continue setting up"</a>
                    </div>
                })
            }}
        </Transition>
    }
    .into_any()
}
