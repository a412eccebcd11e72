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
    pub fn new(delay: std::time::Duration) -> Self {
        Debounce {
            pending: StoredValue::new(None),
            delay,
        }
    }

    /// Forgets what was asked before, and asks for `run` after the delay.
    pub fn run(self, run: impl FnOnce() + 'static) {
        self.cancel();
        self.pending
            .set_value(set_timeout_with_handle(run, self.delay).ok());
    }

    pub fn cancel(self) {
        if let Some(handle) = self.pending.get_value() {
            handle.clear();
        }
    }
}
