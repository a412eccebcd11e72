//! The design system: small components every feature draws with.

use leptos::prelude::*;

use crate::activity::TaskStatus;

#[component]
pub fn Card(
    #[prop(into)] title: String,
    #[prop(optional, into)] actions: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="bg-white rounded-xl border border-slate-200 shadow-sm">
            <header class="flex items-center justify-between gap-4 px-5 py-3 border-b border-slate-100">
                <h2 class="font-semibold text-slate-900">{title}</h2>
                {actions.map(|actions| actions.run())}
            </header>
            <div class="p-5">{children()}</div>
        </section>
    }
}

/// A labelled 0-100 progress bar.
#[component]
pub fn ProgressBar(#[prop(into)] value: Signal<i64>, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <div class="w-full h-2 rounded-full bg-slate-100 overflow-hidden" role="progressbar"
            aria-label=label aria-valuemin="0" aria-valuemax="100"
            aria-valuenow=move || value.get().to_string()>
            <div class="h-full bg-indigo-500 transition-all duration-300"
                style:width=move || format!("{}%", value.get().clamp(0, 100))></div>
        </div>
    }
}

#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<TaskStatus>) -> impl IntoView {
    let class = move || {
        let colours = match status.get() {
            TaskStatus::Pending => "bg-slate-100 text-slate-700",
            TaskStatus::Running => "bg-blue-50 text-blue-700",
            TaskStatus::Completed => "bg-green-50 text-green-700",
            TaskStatus::Failed => "bg-red-50 text-red-700",
        };
        format!(
            "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium {colours}"
        )
    };
    let icon = move || match status.get() {
        TaskStatus::Pending => "○",
        TaskStatus::Running => "◌",
        TaskStatus::Completed => "✓",
        TaskStatus::Failed => "✗",
    };
    view! {
        <span class=class data-status=move || status.get().as_str()>
            <span aria-hidden="true" class:animate-spin=move || status.get() == TaskStatus::Running>{icon}</span>
            {move || status.get().as_str()}
        </span>
    }
}

/// A message for a failed load, in words a person can act on.
#[component]
pub fn ErrorNotice(#[prop(into)] message: String) -> impl IntoView {
    view! { <p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{message}</p> }
}

#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! { <p class="text-sm text-slate-500 animate-pulse" aria-busy="true">{format!("Loading {what}…")}</p> }
}

/// Runs the last thing asked of it once `delay` has passed without another request: a
/// preview after typing stops, an autosave after the last change.
#[derive(Clone, Copy)]
pub struct Debounce {
    pending: StoredValue<Option<TimeoutHandle>>,
    delay: std::time::Duration,
}

impl Debounce {
    /// Nothing runs once the component that made it is gone: a late autosave or preview
    /// would reach values that no longer exist.
    pub fn new(delay: std::time::Duration) -> Self {
        let debounce = Debounce {
            pending: StoredValue::new(None),
            delay,
        };
        on_cleanup(move || debounce.cancel());
        debounce
    }

    /// Forgets what was asked before, and asks for `run` after the delay.
    pub fn run(self, run: impl FnOnce() + 'static) {
        self.cancel();
        self.pending
            .set_value(set_timeout_with_handle(run, self.delay).ok());
    }

    pub fn cancel(self) {
        if let Some(handle) = self.pending.try_get_value().flatten() {
            handle.clear();
        }
    }
}

/// "← Previous · Page 2 of 5 · Next →" under a list. Hidden when everything fits on one
/// page.
#[component]
pub fn Pager(
    /// The page shown, counting from 1.
    page: usize,
    /// How many pages there are; `None` when only `more` is known (the audit log).
    #[prop(optional)]
    pages: Option<usize>,
    /// Whether a page follows this one, when `pages` is not known.
    #[prop(optional)]
    more: bool,
    /// What the pages are of, for screen readers: "Pages of images".
    #[prop(into)]
    label: String,
    #[prop(default = "← Previous")] previous: &'static str,
    #[prop(default = "Next →")] next: &'static str,
    on_page: Callback<usize>,
) -> impl IntoView {
    let has_next = pages.map_or(more, |pages| page < pages);
    let has_previous = page > 1;
    let position = match pages {
        Some(pages) => format!("Page {page} of {pages}"),
        None => format!("Page {page}"),
    };
    let button = "rounded-md border border-slate-300 bg-white px-3 py-1 font-medium text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-40";
    (has_previous || has_next).then(|| {
        view! {
            <nav class="mt-4 flex flex-wrap items-center gap-3 text-sm" aria-label=label data-testid="pager">
                <button type="button" class=button disabled={!has_previous}
                    on:click=move |_| on_page.run(page - 1)>{previous}</button>
                <span class="text-slate-600" data-testid="pager-position">{position}</span>
                <button type="button" class=button disabled={!has_next}
                    on:click=move |_| on_page.run(page + 1)>{next}</button>
            </nav>
        }
    })
}

/// One bar of a `BarChart`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Under the axis, for the first, middle and last bars: `2026-11-22`.
    pub label: String,
    pub value: i64,
    /// What hovering or a screen reader tells: `2026-11-22: 4 views, 2 visitors`.
    pub detail: String,
}

/// Bars over a labelled axis: the scale on the left (0 and the highest value), dates
/// under the first, middle and last bar, each bar's numbers on hover and for screen
/// readers.
#[component]
pub fn BarChart(
    bars: Vec<Bar>,
    #[prop(into)] label: String,
    /// What the bars count, one and many: `("view", "views")`.
    unit: (&'static str, &'static str),
) -> impl IntoView {
    let most = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let last = bars.len().saturating_sub(1);
    let ticks: Vec<String> = [0, last / 2, last]
        .iter()
        .filter_map(|&n| bars.get(n).map(|b| b.label.clone()))
        .collect();
    let columns = bars
        .into_iter()
        .map(|bar| {
            let height = if bar.value > 0 {
                (bar.value * 100 / most).max(2)
            } else {
                0
            };
            let title = bar.detail.clone();
            view! {
                <li class="flex h-full flex-1 items-end" title=title>
                    <span class="sr-only">{bar.detail}</span>
                    <span aria-hidden="true" class="block w-full rounded-t-sm bg-indigo-500"
                        style=format!("height: {height}%")></span>
                </li>
            }
        })
        .collect_view();
    let figure_label = label.clone();
    view! {
        <figure class="text-xs text-slate-600" data-testid="chart" aria-label=figure_label>
            <div class="flex gap-2">
                <div class="flex h-32 flex-col justify-between text-right tabular-nums" aria-hidden="true">
                    <span>{format!("{most} {}", if most == 1 { unit.0 } else { unit.1 })}</span>
                    <span>"0"</span>
                </div>
                <ol class="flex h-32 flex-1 items-end gap-px border-b border-l border-slate-300" aria-label=label>
                    {columns}
                </ol>
            </div>
            <div class="mt-1 flex justify-between pl-12 tabular-nums" aria-hidden="true" data-testid="chart-axis">
                {ticks.into_iter().map(|t| view! { <span>{t}</span> }).collect_view()}
            </div>
        </figure>
    }
}

/// What a button does, by how much it stands out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ButtonKind {
    /// The one main action of a screen or form.
    #[default]
    Primary,
    /// Other actions.
    Secondary,
    /// What takes something away (turning off a safeguard).
    Danger,
}

impl ButtonKind {
    pub fn class(self) -> &'static str {
        match self {
            ButtonKind::Primary => "inline-flex items-center justify-center gap-2 rounded-md bg-indigo-700 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-800 disabled:cursor-not-allowed disabled:opacity-50",
            ButtonKind::Secondary => "inline-flex items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50",
            ButtonKind::Danger => "inline-flex items-center justify-center gap-2 rounded-md bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:opacity-50",
        }
    }
}

/// A button of the design system. Attributes and events pass through:
/// `<Button on:click=... attr:disabled=move || busy()>"Save"</Button>`.
#[component]
pub fn Button(
    #[prop(optional)] kind: ButtonKind,
    /// Submits its form instead of being a plain button.
    #[prop(optional)]
    submit: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <button type=if submit { "submit" } else { "button" } class=kind.class()>{children()}</button>
    }
}

/// A table that scrolls sideways inside its card on narrow screens instead of widening
/// the page.
#[component]
pub fn Table(#[prop(into)] testid: String, children: Children) -> impl IntoView {
    view! {
        <div class="-mx-1 mt-4 overflow-x-auto px-1">
            <table class="w-full min-w-[32rem] text-sm" data-testid=testid>{children()}</table>
        </div>
    }
}

/// What a list says when it has nothing in it yet, and what to do about it.
#[component]
pub fn EmptyState(#[prop(into)] message: String, #[prop(into)] testid: String) -> impl IntoView {
    view! {
        <p class="mt-4 rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600" data-testid=testid>
            {message}
        </p>
    }
}

/// The outcome of what a person just did, beside the button that did it: green when it
/// worked, red (with the reason) when not. Read out by screen readers as it changes.
#[component]
pub fn Toast(
    /// Whether it is an error, and the words; nothing while there is nothing to say.
    #[prop(into)]
    message: Signal<Option<(bool, String)>>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    move || {
        message.get().map(|(is_error, text)| {
            let colour = if is_error {
                "text-sm text-red-700"
            } else {
                "text-sm text-green-700"
            };
            view! { <span role="status" data-testid=testid.clone() class=colour>{text}</span> }
        })
    }
}

/// Tabs over one choice of `T` (pages, posts or products).
#[component]
pub fn Tabs<T>(
    tabs: Vec<(T, &'static str)>,
    selected: RwSignal<T>,
    /// What the tabs choose, for screen readers: "Collections".
    #[prop(into)]
    label: String,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <div class="flex flex-wrap items-center gap-2" role="tablist" aria-label=label>
            {tabs.into_iter().map(|(value, name)| view! {
                <button type="button" role="tab" aria-selected=move || (selected.get() == value).to_string()
                    class="rounded-md px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-selected:bg-slate-900 aria-selected:text-white"
                    on:click=move |_| selected.set(value)>{name}</button>
            }).collect_view()}
        </div>
    }
}

/// A dialog over the page: Escape, the ✕ and a click outside close it.
#[component]
pub fn Modal(
    /// The dialog's heading (and its accessible name).
    #[prop(into)]
    title: String,
    #[prop(into)] testid: String,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/50 p-4"
            on:click=move |_| on_close.run(())>
            <div role="dialog" aria-modal="true" aria-labelledby="modal-title" data-testid=testid
                class="flex max-h-[85vh] w-full max-w-3xl flex-col rounded-xl bg-white shadow-xl"
                on:click=|ev| ev.stop_propagation()
                on:keydown=move |ev| if ev.key() == "Escape" { ev.prevent_default(); on_close.run(()); }>
                <header class="flex items-center gap-3 border-b border-slate-100 px-5 py-3">
                    <h2 id="modal-title" class="mr-auto font-semibold">{title}</h2>
                    <button type="button" class="rounded px-2 text-slate-600 hover:bg-slate-100"
                        aria-label="Close" on:click=move |_| on_close.run(())>"✕"</button>
                </header>
                {children()}
            </div>
        </div>
    }
}

/// A button that opens a small panel of actions under it (the account menu); the button
/// again or Escape closes it.
#[component]
pub fn Menu(
    #[prop(into)] testid: String,
    /// What the button shows, before its ▾.
    button: ViewFn,
    children: ChildrenFn,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let children = StoredValue::new(children);
    view! {
        <div class="relative" on:keydown=move |ev| if ev.key() == "Escape" { open.set(false); }>
            <button type="button" data-testid=testid aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
                class="flex max-w-56 items-center gap-2 rounded-md px-2 py-1 text-sm font-medium text-slate-800 hover:bg-slate-100">
                {button.run()}
                <span aria-hidden="true" class="text-slate-600">"▾"</span>
            </button>
            <Show when=move || open.get()>
                <div class="absolute right-0 z-30 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-2 shadow-lg">
                    {children.with_value(|c| c())}
                </div>
            </Show>
        </div>
    }
}
