//! `/dashboard/settings`, the screen of what configures a tenant: the theme editor
//! (colours, fonts, corner radius, light or dark, logo and favicon, with the contrast
//! warnings and a live preview of the home page) and the site settings, with the cards
//! of the features it configures beside them.

use leptos::prelude::*;

use super::api::{load_site_settings, load_theme, PreviewTheme, SaveSiteSettings, SaveTheme};
use super::{ColorMode, Font, HexColor, Radius, Theme};
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::{Button, Card, ErrorNotice, Loading, Toast};

/// `/dashboard/settings`: the site's theme, structure and domains, the agent API's
/// keys, and the email the platform sent.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Settings · BizOSaaS"/>
        <ThemeEditor/>
        <SiteSettingsEditor/>
        <crate::domains::pages::Domains/>
        <crate::api_keys::pages::ApiKeys/>
        <crate::digest::pages::Outbox/>
    }
}

#[component]
pub fn ThemeEditor() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    if !workspace.member.role.allows(Role::Admin) {
        return ().into_any();
    }
    let loaded = Resource::new(|| (), |_| load_theme());
    view! {
        <Suspense fallback=|| view! { <Loading what="your theme"/> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(report) => view! { <ThemeForm theme=report.theme/> }.into_any(),
                    Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

const FONTS: [(Font, &str); 5] = [
    (Font::Sans, "Inter (sans-serif)"),
    (Font::Serif, "Merriweather (serif)"),
    (Font::Mono, "JetBrains Mono (monospace)"),
    (Font::Rounded, "Nunito (rounded)"),
    (Font::System, "The visitor's system font"),
];

const RADII: [(Radius, &str); 5] = [
    (Radius::None, "Square"),
    (Radius::Small, "Slightly rounded"),
    (Radius::Medium, "Rounded"),
    (Radius::Large, "Very rounded"),
    (Radius::Full, "Pill"),
];

fn font_key(font: Font) -> String {
    serde_json::to_value(font)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[component]
fn ThemeForm(theme: Theme) -> impl IntoView {
    let theme = RwSignal::new(theme);
    let save = ServerAction::<SaveTheme>::new();
    let preview = ServerAction::<PreviewTheme>::new();
    let later = crate::ui::Debounce::new(std::time::Duration::from_millis(400));
    Effect::new(move |_| {
        let current = theme.get();
        later.run(move || {
            preview.dispatch(PreviewTheme { theme: current });
        });
    });
    let warnings = Memo::new(move |_| theme.with(Theme::contrast_warnings));
    let colour = move |label: &'static str,
                       get: fn(&Theme) -> &HexColor,
                       set: fn(&mut Theme, HexColor)| {
        let error = RwSignal::new(None::<String>);
        let text = RwSignal::new(theme.with_untracked(|t| get(t).as_str().to_string()));
        let apply = move |value: String| {
            text.set(value.clone());
            match HexColor::parse(&value) {
                Ok(parsed) => {
                    error.set(None);
                    theme.update(|t| set(t, parsed));
                }
                Err(message) => error.set(Some(message)),
            }
        };
        view! {
            <div class="flex flex-wrap items-center gap-2 text-sm">
                <span class="w-28 font-medium">{label}</span>
                <input type="color" aria-label=format!("{label} colour picker") prop:value=move || theme.with(|t| get(t).as_str().to_string())
                    on:input=move |ev| apply(event_target_value(&ev))/>
                <input type="text" aria-label=label class="w-28 rounded-md border border-slate-300 px-2 py-1 font-mono"
                    prop:value=move || text.get() on:change=move |ev| apply(event_target_value(&ev))/>
                {move || error.get().map(|message| view! { <span class="text-red-700">{message}</span> })}
            </div>
        }
    };
    let text_field = move |label: &'static str,
                           get: fn(&Theme) -> String,
                           set: fn(&mut Theme, String)| {
        view! {
            <label class="block text-sm">
                <span class="font-medium">{label}</span>
                <input type="text" class="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1"
                    prop:value=move || theme.with(get) on:change=move |ev| theme.update(|t| set(t, event_target_value(&ev)))/>
            </label>
        }
    };
    let message = move || match save.value().get() {
        Some(Ok(_)) => Some((false, "Theme saved: your site uses it now.".to_string())),
        Some(Err(err)) => Some((true, err.to_string())),
        None => None,
    };
    view! {
        <Card title="Theme">
            <div class="grid gap-6 xl:grid-cols-2">
                <div class="space-y-3">
                    {colour("Primary", |t| &t.primary_color, |t, c| t.primary_color = c)}
                    {colour("Secondary", |t| &t.secondary_color, |t, c| t.secondary_color = c)}
                    {colour("Accent", |t| &t.accent_color, |t, c| t.accent_color = c)}
                    {colour("Background", |t| &t.background_color, |t, c| t.background_color = c)}
                    {colour("Text", |t| &t.text_color, |t, c| t.text_color = c)}
                    <Show when=move || warnings.with(|w| !w.is_empty())>
                        <ul role="status" data-testid="contrast-warnings" class="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 list-disc pl-8">
                            {move || warnings.get().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                        </ul>
                    </Show>
                    <label class="block text-sm">
                        <span class="font-medium">"Body font"</span>
                        <select class="mt-1 block rounded-md border border-slate-300 px-2 py-1"
                            on:change=move |ev| {
                                let key = event_target_value(&ev);
                                if let Some((font, _)) = FONTS.iter().find(|(f, _)| font_key(*f) == key) {
                                    theme.update(|t| t.body_font = *font);
                                }
                            }>
                            {FONTS.iter().map(|(font, label)| {
                                let font = *font;
                                view! { <option value=font_key(font) selected=move || theme.with(|t| t.body_font == font)>{*label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="block text-sm">
                        <span class="font-medium">"Heading font"</span>
                        <select class="mt-1 block rounded-md border border-slate-300 px-2 py-1"
                            on:change=move |ev| {
                                let key = event_target_value(&ev);
                                let font = FONTS.iter().find(|(f, _)| font_key(*f) == key).map(|(f, _)| *f);
                                theme.update(|t| t.heading_font = font);
                            }>
                            <option value="" selected=move || theme.with(|t| t.heading_font.is_none())>"Same as the body"</option>
                            {FONTS.iter().map(|(font, label)| {
                                let font = *font;
                                view! { <option value=font_key(font) selected=move || theme.with(|t| t.heading_font == Some(font))>{*label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="block text-sm">
                        <span class="font-medium">"Corners"</span>
                        <select class="mt-1 block rounded-md border border-slate-300 px-2 py-1"
                            on:change=move |ev| {
                                let index: usize = event_target_value(&ev).parse().unwrap_or(2);
                                if let Some((radius, _)) = RADII.get(index) { theme.update(|t| t.radius = *radius); }
                            }>
                            {RADII.iter().enumerate().map(|(i, (radius, label))| {
                                let radius = *radius;
                                view! { <option value=i.to_string() selected=move || theme.with(|t| t.radius == radius)>{*label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" prop:checked=move || theme.with(|t| t.mode == ColorMode::Dark)
                            on:change=move |ev| theme.update(|t| t.mode = if event_target_checked(&ev) { ColorMode::Dark } else { ColorMode::Light })/>
                        <span class="font-medium">"Dark mode"</span>
                    </label>
                    {text_field("Logo text", |t| t.logo_text.clone(), |t, v| t.logo_text = v)}
                    {text_field("Logo image URL", |t| t.logo_url.clone().unwrap_or_default(), |t, v| t.logo_url = Some(v).filter(|v| !v.trim().is_empty()))}
                    {text_field("Favicon URL", |t| t.favicon_url.clone().unwrap_or_default(), |t, v| t.favicon_url = Some(v).filter(|v| !v.trim().is_empty()))}
                    <div class="flex items-center gap-3">
                        <Button attr:data-testid="save-theme" attr:disabled=move || save.pending().get()
                            on:click=move |_| { save.dispatch(SaveTheme { theme: theme.get_untracked() }); }>
                            {move || if save.pending().get() { "Saving…" } else { "Save theme" }}
                        </Button>
                        <Toast message=Signal::derive(message) testid="theme-message"/>
                    </div>
                </div>
                <div class="min-w-0">
                    {move || match preview.value().get() {
                        Some(Err(err)) => Some(view! { <ErrorNotice message=err.to_string()/> }),
                        _ => None,
                    }}
                    <iframe title="Preview of your home page" data-testid="theme-preview" sandbox="allow-same-origin"
                        class="h-[70vh] w-full rounded border border-slate-200 bg-white"
                        srcdoc=move || match preview.value().get() { Some(Ok(html)) => html, _ => String::new() }></iframe>
                </div>
            </div>
        </Card>
    }
}

/// Navigation, footer and version retention, edited as the JSON of `SiteSettings`.
#[component]
pub fn SiteSettingsEditor() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    if !workspace.member.role.allows(Role::Admin) {
        return ().into_any();
    }
    let loaded = Resource::new(|| (), |_| load_site_settings());
    view! {
        <Suspense fallback=|| view! { <Loading what="your site settings"/> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(settings) => view! { <SiteSettingsCard settings/> }.into_any(),
                    Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn SiteSettingsCard(settings: super::SiteSettings) -> impl IntoView {
    let settings = RwSignal::new(settings);
    let save = ServerAction::<SaveSiteSettings>::new();
    let problems = Memo::new(move |_| settings.with(super::SiteSettings::problems));
    let message = move || match save.value().get() {
        Some(Ok(_)) => Some((false, "Saved: your site shows it now.".to_string())),
        Some(Err(err)) => Some((true, err.to_string())),
        None => None,
    };
    view! {
        <Card title="Navigation and footer">
            <crate::cms::SiteSettingsForm settings/>
            <Show when=move || problems.with(|p| !p.is_empty())>
                <ul role="status" class="mt-4 list-disc rounded-md border border-amber-200 bg-amber-50 p-3 pl-8 text-sm text-amber-900">
                    {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            </Show>
            <div class="mt-4 flex items-center gap-3">
                <Button attr:data-testid="save-settings"
                    attr:disabled=move || save.pending().get() || problems.with(|p| !p.is_empty())
                    on:click=move |_| {
                        save.dispatch(SaveSiteSettings { settings: settings.get_untracked() });
                    }>
                    {move || if save.pending().get() { "Saving…" } else { "Save" }}
                </Button>
                <Toast message=Signal::derive(message) testid="settings-message"/>
            </div>
        </Card>
    }
}
