//! The forms of blocks, posts, products and the site's settings, each described as a
//! table of fields over the typed value's serde shape (the one the server validates and
//! the renderer draws), so every block type gets a form without a hand-written component
//! each. A field writes through the type, never into loose JSON, and the tests below fill
//! in every field of every form to prove each path lands on a field of its type.

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use crate::cms::{Block, PageContent};
use crate::media::picker::MediaPicker;
use crate::media::MediaFile;
use crate::tenancy::SiteSettings;

/// How a field is edited.
#[derive(Clone, Copy, PartialEq)]
enum Input {
    Line,
    /// A link: a web address, a path on the site, `mailto:` or `tel:`.
    Link,
    Paragraph,
    Markdown,
    Check,
    Number,
    /// A contact form field's kind.
    FieldKind,
    /// Product slugs, comma-separated in the form.
    SlugList,
    /// Words (tags), comma-separated in the form.
    Words,
    /// An amount in minor units, edited as `12.99`.
    Price,
    Currency,
    /// An image's address, typed or chosen from the media library; choosing one also
    /// fills the sibling `alt` field when there is one and it is empty.
    Image {
        with_alt: bool,
    },
}

impl Input {
    /// The field's value as the form shows it.
    fn show(self, value: &Value) -> String {
        match value {
            Value::Number(cents) if self == Input::Price => {
                let cents = cents.as_i64().unwrap_or(0);
                format!("{}.{:02}", cents / 100, cents % 100)
            }
            Value::String(s) => s.clone(),
            Value::Number(number) => number.to_string(),
            Value::Bool(on) => on.to_string(),
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        }
    }

    /// What was typed, as the field's value; a sentence when it cannot be one.
    fn parse(self, raw: &str) -> Result<Value, &'static str> {
        Ok(match self {
            Input::Number => Value::from(
                raw.trim()
                    .parse::<u64>()
                    .map_err(|_| "Write a whole number, such as 4.")?,
            ),
            Input::Price => Value::from(
                parse_price(raw)
                    .ok_or("Write the price as a number, such as 12.99 (no currency sign).")?,
            ),
            Input::Check => Value::Bool(raw == "true"),
            Input::SlugList | Input::Words => Value::Array(
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
            _ => Value::String(raw.to_string()),
        })
    }

    /// Says what a field holds, for people reading the page's HTML and for the browser
    /// tests that type into every field of every block.
    fn name(self) -> &'static str {
        match self {
            Input::Line => "line",
            Input::Link => "link",
            Input::Paragraph => "paragraph",
            Input::Markdown => "markdown",
            Input::Check => "check",
            Input::Number => "number",
            Input::FieldKind => "field-kind",
            Input::SlugList => "slugs",
            Input::Words => "words",
            Input::Price => "price",
            Input::Currency => "currency",
            Input::Image { .. } => "image",
        }
    }
}

struct Field {
    label: &'static str,
    /// JSON pointer inside the block (or the list item).
    pointer: &'static str,
    input: Input,
}

/// A list of items inside a block (features, questions, images...).
struct ItemList {
    label: &'static str,
    key: &'static str,
    fields: &'static [Field],
    new_item: fn() -> Value,
}

pub struct Form {
    fields: &'static [Field],
    list: Option<ItemList>,
}

fn form_of(block: &Block) -> Form {
    use Input::*;
    match block {
        Block::Hero { .. } => Form {
            fields: &[
                Field {
                    label: "Heading",
                    pointer: "/heading",
                    input: Line,
                },
                Field {
                    label: "Subheading",
                    pointer: "/subheading",
                    input: Paragraph,
                },
                Field {
                    label: "Button label",
                    pointer: "/cta/label",
                    input: Line,
                },
                Field {
                    label: "Button link",
                    pointer: "/cta/href",
                    input: Link,
                },
                Field {
                    label: "Background image URL",
                    pointer: "/background_image",
                    input: Image { with_alt: false },
                },
            ],
            list: None,
        },
        Block::Text { .. } => Form {
            fields: &[Field {
                label: "Text (Markdown)",
                pointer: "/markdown",
                input: Markdown,
            }],
            list: None,
        },
        Block::Features { .. } => Form {
            fields: &[Field {
                label: "Heading",
                pointer: "/heading",
                input: Line,
            }],
            list: Some(ItemList {
                label: "Feature",
                key: "items",
                fields: &[
                    Field {
                        label: "Title",
                        pointer: "/title",
                        input: Line,
                    },
                    Field {
                        label: "Text",
                        pointer: "/text",
                        input: Paragraph,
                    },
                ],
                new_item: || serde_json::json!({ "title": "New feature", "text": "" }),
            }),
        },
        Block::Testimonials { .. } => Form {
            fields: &[Field {
                label: "Heading",
                pointer: "/heading",
                input: Line,
            }],
            list: Some(ItemList {
                label: "Testimonial",
                key: "items",
                fields: &[
                    Field {
                        label: "Quote",
                        pointer: "/quote",
                        input: Paragraph,
                    },
                    Field {
                        label: "Author",
                        pointer: "/author",
                        input: Line,
                    },
                    Field {
                        label: "Role",
                        pointer: "/role",
                        input: Line,
                    },
                ],
                new_item: || serde_json::json!({ "quote": "", "author": "", "role": "" }),
            }),
        },
        Block::CallToAction { .. } => Form {
            fields: &[
                Field {
                    label: "Heading",
                    pointer: "/heading",
                    input: Line,
                },
                Field {
                    label: "Text",
                    pointer: "/text",
                    input: Paragraph,
                },
                Field {
                    label: "Button label",
                    pointer: "/link/label",
                    input: Line,
                },
                Field {
                    label: "Button link",
                    pointer: "/link/href",
                    input: Link,
                },
            ],
            list: None,
        },
        Block::Faq { .. } => Form {
            fields: &[Field {
                label: "Heading",
                pointer: "/heading",
                input: Line,
            }],
            list: Some(ItemList {
                label: "Question",
                key: "items",
                fields: &[
                    Field {
                        label: "Question",
                        pointer: "/question",
                        input: Line,
                    },
                    Field {
                        label: "Answer",
                        pointer: "/answer",
                        input: Paragraph,
                    },
                ],
                new_item: || serde_json::json!({ "question": "", "answer": "" }),
            }),
        },
        Block::Gallery { .. } => Form {
            fields: &[Field {
                label: "Heading",
                pointer: "/heading",
                input: Line,
            }],
            list: Some(ItemList {
                label: "Image",
                key: "images",
                fields: &[
                    Field {
                        label: "Image URL",
                        pointer: "/src",
                        input: Image { with_alt: true },
                    },
                    Field {
                        label: "Alt text (what the image shows)",
                        pointer: "/alt",
                        input: Line,
                    },
                ],
                new_item: || serde_json::json!({ "src": "", "alt": "" }),
            }),
        },
        Block::ProductGrid { .. } => Form {
            fields: &[
                Field {
                    label: "Heading",
                    pointer: "/heading",
                    input: Line,
                },
                Field {
                    label: "Chosen products (addresses, comma-separated; empty shows the newest)",
                    pointer: "/products",
                    input: SlugList,
                },
                Field {
                    label: "How many of the newest to show",
                    pointer: "/count",
                    input: Number,
                },
            ],
            list: None,
        },
        Block::ContactForm { .. } => Form {
            fields: &[
                Field {
                    label: "Heading",
                    pointer: "/heading",
                    input: Line,
                },
                Field {
                    label: "Text",
                    pointer: "/text",
                    input: Paragraph,
                },
                Field {
                    label: "Button label",
                    pointer: "/submit_label",
                    input: Line,
                },
                Field {
                    label: "Thank-you message",
                    pointer: "/thank_you",
                    input: Paragraph,
                },
            ],
            list: Some(ItemList {
                label: "Field",
                key: "fields",
                fields: &[
                    Field {
                        label: "Kind",
                        pointer: "/kind",
                        input: FieldKind,
                    },
                    Field {
                        label: "Label",
                        pointer: "/label",
                        input: Line,
                    },
                    Field {
                        label: "Required",
                        pointer: "/required",
                        input: Check,
                    },
                ],
                new_item: || serde_json::json!({ "kind": "phone", "label": "Phone", "required": false }),
            }),
        },
    }
}

/// A new block of each type, as offered by "Add block".
pub fn new_blocks() -> Vec<Block> {
    use crate::cms::{FieldKind, FormField, Link};
    vec![
        Block::Hero {
            heading: "A new headline".into(),
            subheading: String::new(),
            cta: None,
            background_image: None,
        },
        Block::Text {
            markdown: String::new(),
        },
        Block::Features {
            heading: String::new(),
            items: Vec::new(),
        },
        Block::Testimonials {
            heading: String::new(),
            items: Vec::new(),
        },
        Block::CallToAction {
            heading: "Ready?".into(),
            text: String::new(),
            link: Link {
                label: "Contact us".into(),
                href: "/".into(),
            },
        },
        Block::Faq {
            heading: String::new(),
            items: Vec::new(),
        },
        Block::Gallery {
            heading: String::new(),
            images: Vec::new(),
        },
        Block::ProductGrid {
            heading: "Products".into(),
            products: Vec::new(),
            count: 4,
        },
        Block::ContactForm {
            heading: "Get in touch".into(),
            text: String::new(),
            fields: vec![
                FormField {
                    kind: FieldKind::Name,
                    label: "Your name".into(),
                    required: true,
                },
                FormField {
                    kind: FieldKind::Email,
                    label: "Email".into(),
                    required: true,
                },
            ],
            submit_label: "Send".into(),
            thank_you: "Thank you! We will get back to you soon.".into(),
        },
    ]
}

/// What a form edits: a typed value in a signal (a post, a product, the site's
/// settings) or one block of a page, seen through its serde shape.
#[derive(Clone, Copy)]
pub struct Target {
    shape: Memo<Value>,
    /// Writes a value at a pointer; false when the result is not a value of the type.
    write: Callback<(String, Value), bool>,
}

impl Target {
    pub fn of<T>(signal: RwSignal<T>) -> Target
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
    {
        Target {
            shape: Memo::new(move |_| signal.with(|t| serde_json::to_value(t).unwrap_or_default())),
            write: Callback::new(move |(pointer, new): (String, Value)| {
                match signal.with_untracked(|t| written(t, &pointer, new)) {
                    Some(updated) => {
                        signal.set(updated);
                        true
                    }
                    None => false,
                }
            }),
        }
    }

    /// Block `n` of a page's draft.
    pub fn block(draft: RwSignal<PageContent>, n: usize) -> Target {
        Target {
            shape: Memo::new(move |_| {
                draft.with(|d| {
                    d.blocks
                        .get(n)
                        .and_then(|block| serde_json::to_value(block).ok())
                        .unwrap_or_default()
                })
            }),
            write: Callback::new(move |(pointer, new): (String, Value)| {
                let updated = draft
                    .with_untracked(|d| d.blocks.get(n).and_then(|b| written(b, &pointer, new)));
                match updated {
                    Some(block) => {
                        draft.update(|d| d.blocks[n] = block);
                        true
                    }
                    None => false,
                }
            }),
        }
    }

    /// The value at a JSON pointer (Null when absent).
    fn read(self, pointer: &str) -> Value {
        self.shape
            .with(|v| v.pointer(pointer).cloned().unwrap_or(Value::Null))
    }

    fn write(self, pointer: &str, new: Value) -> bool {
        self.write.run((pointer.to_string(), new))
    }
}

/// `value` with `new` written at `pointer` (objects on the way are created; an optional
/// part left empty, such as a button with no label or link, is removed), read back as a
/// `T`; None when that is not a `T` (a number too large for its field).
fn written<T: Serialize + DeserializeOwned>(value: &T, pointer: &str, new: Value) -> Option<T> {
    let mut shape = serde_json::to_value(value).ok()?;
    set_pointer(&mut shape, pointer, new);
    prune_empty_optionals(&mut shape);
    serde_json::from_value(shape).ok()
}

fn set_pointer(value: &mut Value, pointer: &str, new: Value) {
    let mut target = value;
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if let Ok(index) = part.parse::<usize>() {
            let Some(item) = target.as_array_mut().and_then(|a| a.get_mut(index)) else {
                return;
            };
            if last {
                *item = new;
                return;
            }
            target = item;
        } else {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            let Some(object) = target.as_object_mut() else {
                return;
            };
            if last {
                object.insert(part.to_string(), new);
                return;
            }
            target = object
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Default::default()));
        }
    }
}

fn prune_empty_optionals(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    let empty = |v: Option<&Value>| v.and_then(Value::as_str).is_none_or(|s| s.is_empty());
    for (key, fields) in [("cta", ["label", "href"]), ("cover_image", ["src", "alt"])] {
        let all_empty = object
            .get(key)
            .is_some_and(|part| fields.iter().all(|f| empty(part.get(*f))));
        if all_empty {
            object.remove(key);
        }
    }
    if object.get("type").and_then(Value::as_str) == Some("hero")
        && empty(object.get("background_image"))
    {
        object.remove("background_image");
    }
}

/// The form of block `n`.
#[component]
pub fn BlockForm(draft: RwSignal<PageContent>, n: usize, kind: Block) -> impl IntoView {
    view! { <FormFields target=Target::block(draft, n) form=form_of(&kind)/> }
}

/// The site's navigation, footer and how many versions to keep.
#[component]
pub fn SiteSettingsForm(settings: RwSignal<SiteSettings>) -> impl IntoView {
    let target = Target::of(settings);
    view! {
        <div class="space-y-6">
            {site_settings_forms().into_iter().map(|form| view! { <FormFields target form/> }).collect_view()}
        </div>
    }
}

fn site_settings_forms() -> [Form; 3] {
    use Input::*;
    let navigation = Form {
        fields: &[],
        list: Some(ItemList {
            label: "Navigation link",
            key: "navigation",
            fields: &[
                Field {
                    label: "Label",
                    pointer: "/label",
                    input: Line,
                },
                Field {
                    label: "Link (/about, https://...)",
                    pointer: "/href",
                    input: Link,
                },
            ],
            new_item: || serde_json::json!({ "label": "New link", "href": "/" }),
        }),
    };
    let footer = Form {
        fields: &[Field {
            label: "Footer text",
            pointer: "/footer_text",
            input: Paragraph,
        }],
        list: Some(ItemList {
            label: "Footer link",
            key: "footer_links",
            fields: &[
                Field {
                    label: "Label",
                    pointer: "/label",
                    input: Line,
                },
                Field {
                    label: "Link",
                    pointer: "/href",
                    input: Link,
                },
            ],
            new_item: || serde_json::json!({ "label": "New link", "href": "/" }),
        }),
    };
    let history = Form {
        fields: &[Field {
            label: "Unpublished versions kept per page, post or product (published ones are always kept)",
            pointer: "/versions_kept",
            input: Number,
        }],
        list: None,
    };
    [navigation, footer, history]
}

#[component]
pub fn FormFields(target: Target, form: Form) -> impl IntoView {
    let fields = form
        .fields
        .iter()
        .map(|f| view! { <FieldInput target pointer=f.pointer.to_string() label=f.label input=f.input/> })
        .collect_view();
    let list = form.list.map(|list| view! { <ItemListForm target list/> });
    view! { <div class="space-y-3">{fields}{list}</div> }
}

pub fn post_form() -> Form {
    use Input::*;
    Form {
        fields: &[
            Field {
                label: "Title",
                pointer: "/title",
                input: Line,
            },
            Field {
                label: "Excerpt (lists and search results)",
                pointer: "/excerpt",
                input: Paragraph,
            },
            Field {
                label: "Text (Markdown)",
                pointer: "/body",
                input: Markdown,
            },
            Field {
                label: "Cover image URL",
                pointer: "/cover_image/src",
                input: Image { with_alt: true },
            },
            Field {
                label: "Cover image alt text",
                pointer: "/cover_image/alt",
                input: Line,
            },
            Field {
                label: "Tags (comma-separated)",
                pointer: "/tags",
                input: Words,
            },
            Field {
                label: "Author",
                pointer: "/author",
                input: Line,
            },
        ],
        list: None,
    }
}

pub fn product_form() -> Form {
    use Input::*;
    Form {
        fields: &[
            Field {
                label: "Name",
                pointer: "/name",
                input: Line,
            },
            Field {
                label: "Summary (lists and search results)",
                pointer: "/summary",
                input: Paragraph,
            },
            Field {
                label: "Description (Markdown)",
                pointer: "/description",
                input: Markdown,
            },
            Field {
                label: "Price",
                pointer: "/price/minor_units",
                input: Price,
            },
            Field {
                label: "Currency",
                pointer: "/price/currency",
                input: Currency,
            },
            Field {
                label: "Buy link (your checkout, a marketplace, mailto:...)",
                pointer: "/buy_url",
                input: Link,
            },
        ],
        list: Some(ItemList {
            label: "Image",
            key: "images",
            fields: &[
                Field {
                    label: "Image URL",
                    pointer: "/src",
                    input: Image { with_alt: true },
                },
                Field {
                    label: "Alt text (what the image shows)",
                    pointer: "/alt",
                    input: Line,
                },
            ],
            new_item: || serde_json::json!({ "src": "", "alt": "" }),
        }),
    }
}

#[component]
fn ItemListForm(target: Target, list: ItemList) -> impl IntoView {
    let key = list.key;
    let count = move || {
        target
            .read(&format!("/{key}"))
            .as_array()
            .map_or(0, Vec::len)
    };
    let fields = list.fields;
    let label = list.label;
    let new_item = list.new_item;
    let add = move |_| {
        let mut items = target.read(&format!("/{key}"));
        if items.is_null() {
            items = Value::Array(Vec::new());
        }
        if let Some(array) = items.as_array_mut() {
            array.push(new_item());
        }
        target.write(&format!("/{key}"), items);
    };
    view! {
        <div class="space-y-3 border-l-2 border-slate-100 pl-3">
            <For each=move || 0..count() key=|i| *i let:i>
                <fieldset class="space-y-2 rounded-md bg-slate-50 p-3">
                    <legend class="flex w-full items-center justify-between text-xs font-semibold text-slate-600">
                        <span>{format!("{label} {}", i + 1)}</span>
                        <button type="button" class="text-red-700 hover:underline"
                            on:click=move |_| {
                                let mut items = target.read(&format!("/{key}"));
                                if let Some(array) = items.as_array_mut() {
                                    if i < array.len() {
                                        array.remove(i);
                                    }
                                }
                                target.write(&format!("/{key}"), items);
                            }>
                            {format!("Remove {}", label.to_lowercase())}
                        </button>
                    </legend>
                    {fields.iter().map(|f| view! {
                        <FieldInput target pointer=format!("/{key}/{i}{}", f.pointer) label=f.label input=f.input/>
                    }).collect_view()}
                </fieldset>
            </For>
            <button type="button" on:click=add
                class="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50">
                {format!("Add {}", label.to_lowercase())}
            </button>
        </div>
    }
}

#[component]
fn FieldInput(target: Target, pointer: String, label: &'static str, input: Input) -> impl IntoView {
    let at = StoredValue::new(pointer);
    let text = move || input.show(&target.read(&at.read_value()));
    // What was typed but cannot be kept (a price of "abc"): said under the field.
    let invalid = RwSignal::new(None::<&'static str>);
    let set = move |raw: String| match input.parse(&raw) {
        Ok(value) => {
            let kept = target.write(&at.read_value(), value);
            invalid.set((!kept).then_some("This is too large for this field."));
        }
        Err(problem) => invalid.set(Some(problem)),
    };
    let input_class = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm";
    let control = match input {
        Input::Paragraph | Input::Markdown => {
            let rows = if input == Input::Markdown { "10" } else { "3" };
            let mono = if input == Input::Markdown { " font-mono" } else { "" };
            view! {
                <textarea rows=rows class=format!("{input_class}{mono}") data-testid=(input == Input::Markdown).then_some("text-block") data-field=input.name()
                    prop:value=text on:input=move |ev| set(event_target_value(&ev))>{text()}</textarea>
            }
            .into_any()
        }
        Input::Check => view! {
            <input type="checkbox" class="ml-2" data-field=input.name()
                prop:checked=move || target.read(&at.read_value()).as_bool().unwrap_or(false)
                on:change=move |ev| set(event_target_checked(&ev).to_string())/>
        }
        .into_any(),
        Input::FieldKind => view! {
            <select class=input_class prop:value=text on:change=move |ev| set(event_target_value(&ev))>
                {["name", "email", "phone", "company", "message"].map(|kind| view! {
                    <option value=kind selected=move || text() == kind>{kind}</option>
                })}
            </select>
        }
        .into_any(),
        Input::Currency => view! {
            <select class=input_class prop:value=text on:change=move |ev| set(event_target_value(&ev))>
                {crate::cms::products::currency_codes().into_iter().map(|code| view! {
                    <option value=code selected=move || text() == code>{code}</option>
                }).collect_view()}
            </select>
        }
        .into_any(),
        Input::Price => view! {
            <input type="text" inputmode="decimal" class=input_class prop:value=text value=text data-field=input.name()
                aria-invalid=move || invalid.with(Option::is_some).to_string()
                on:change=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
        Input::Number => view! {
            <input type="number" min="1" class=input_class prop:value=text data-field=input.name()
                on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
        Input::Line | Input::Link | Input::SlugList | Input::Words | Input::Image { .. } => view! {
            <input type="text" class=input_class prop:value=text value=text data-field=input.name()
                inputmode=(input == Input::Link).then_some("url")
                on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
    };
    let markdown_toolbar = (input == Input::Markdown).then(|| {
        let wrap = move |before: &'static str, after: &'static str| {
            move |_| {
                let mut current = text();
                current.push_str(before);
                current.push_str("text");
                current.push_str(after);
                set(current);
            }
        };
        view! {
            <span class="ml-2 inline-flex gap-1" role="toolbar" aria-label="Formatting">
                <button type="button" class="rounded border border-slate-300 px-2 text-xs font-bold" title="Bold" on:click=wrap(" **", "**")>"B"</button>
                <button type="button" class="rounded border border-slate-300 px-2 text-xs italic" title="Italic" on:click=wrap(" *", "*")>"I"</button>
                <button type="button" class="rounded border border-slate-300 px-2 text-xs" title="Heading" on:click=wrap("\n\n## ", "\n")>"H2"</button>
                <button type="button" class="rounded border border-slate-300 px-2 text-xs" title="Link" on:click=wrap(" [", "](https://)")>"Link"</button>
                <button type="button" class="rounded border border-slate-300 px-2 text-xs" title="List" on:click=wrap("\n- ", "\n")>"List"</button>
            </span>
        }
    });
    // Outside the label: a click in the dialog must not reach the label's input.
    let picker = match input {
        Input::Image { with_alt } => Some(view! {
            <MediaPicker label=format!("Choose an image: {label}") on_pick=Callback::new(move |file: MediaFile| {
                let src = at.read_value().clone();
                set(file.url());
                let alt = src.rsplit_once('/').map(|(item, _)| format!("{item}/alt"));
                if let Some(alt) = alt.filter(|_| with_alt) {
                    if target.read(&alt).as_str().is_none_or(|a| a.trim().is_empty()) {
                        target.write(&alt, Value::String(file.alt));
                    }
                }
            })/>
        }),
        _ => None,
    };
    view! {
        <div>
            <label class="block">
                <span class="text-sm font-medium text-slate-700">{label}</span>
                {markdown_toolbar}
                {control}
            </label>
            {move || invalid.get().map(|message| view! {
                <p role="alert" class="mt-1 text-sm text-red-700" data-testid="field-error">{message}</p>
            })}
            {picker}
        </div>
    }
}

/// `12.99`, `1,200` or `5` as minor units; None for anything that is not a price.
fn parse_price(raw: &str) -> Option<i64> {
    let price = raw.trim().replace(',', "").parse::<f64>().ok()?;
    (0.0..1e13)
        .contains(&price)
        .then(|| (price * 100.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_numbers_or_refused() {
        assert_eq!(parse_price(" 12.99 "), Some(1299));
        assert_eq!(parse_price("1,200"), Some(120_000));
        assert_eq!(parse_price("abc"), None);
        assert_eq!(parse_price("-3"), None);
        assert_eq!(parse_price("NaN"), None);
    }

    #[test]
    fn pointers_create_what_is_missing() {
        let mut hero = serde_json::json!({ "type": "hero", "heading": "x", "subheading": "" });
        set_pointer(&mut hero, "/cta/label", Value::String("Go".into()));
        assert_eq!(hero["cta"]["label"], "Go");
        let mut features = serde_json::json!({ "items": [{ "title": "a" }] });
        set_pointer(&mut features, "/items/0/title", Value::String("b".into()));
        assert_eq!(features["items"][0]["title"], "b");
        set_pointer(&mut features, "/items/5/title", Value::String("c".into()));
        assert_eq!(
            features["items"].as_array().unwrap().len(),
            1,
            "no item is invented"
        );
    }

    /// What a person might type into a field of this kind; `n` keeps values apart.
    fn typed_in(input: Input, n: usize) -> String {
        match input {
            Input::Line | Input::Paragraph | Input::Markdown => format!("Filled in {n}"),
            Input::Link => format!("https://example.com/{n}"),
            Input::Image { .. } => format!("/media/{n}/photo.png"),
            Input::Check => "true".into(),
            Input::Number => "13".into(),
            Input::FieldKind => "company".into(),
            Input::SlugList => format!("first-{n}, second-{n}"),
            Input::Words => format!("Tag {n}, Other {n}"),
            Input::Price => "12.34".into(),
            Input::Currency => "EUR".into(),
        }
    }

    /// Adds one item to the form's list as "Add" does, then types into every field in
    /// turn: each must change the typed value and read back as typed. A path that is
    /// not a field of the type (a typo, a renamed field) changes nothing, and fails.
    fn fill_in<T>(what: &str, start: T, form: &Form)
    where
        T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let mut value = start;
        let mut fields: Vec<(String, &Field)> = form
            .fields
            .iter()
            .map(|f| (f.pointer.to_string(), f))
            .collect();
        if let Some(list) = &form.list {
            let key = format!("/{}", list.key);
            let mut items = serde_json::to_value(&value).unwrap()[list.key].clone();
            let items_list = items.as_array_mut().expect("a list");
            items_list.push((list.new_item)());
            let last = items_list.len() - 1;
            value = written(&value, &key, items)
                .unwrap_or_else(|| panic!("{what}: a new {} cannot be read", list.label));
            fields.extend(
                list.fields
                    .iter()
                    .map(|f| (format!("{key}/{last}{}", f.pointer), f)),
            );
        }
        assert!(!fields.is_empty(), "{what} has no fields");
        for (n, (pointer, field)) in fields.into_iter().enumerate() {
            let typed = typed_in(field.input, n);
            let new = field.input.parse(&typed).expect("a valid sample");
            let after = written(&value, &pointer, new).unwrap_or_else(|| {
                panic!(
                    "{what}: typing into {} ({pointer}) made it unreadable",
                    field.label
                )
            });
            assert_ne!(
                after, value,
                "{what}: {} ({pointer}) is not a field of the type",
                field.label
            );
            let shape = serde_json::to_value(&after).unwrap();
            let back = shape.pointer(&pointer).cloned().unwrap_or(Value::Null);
            assert_eq!(
                field.input.show(&back),
                typed,
                "{what}: {} ({pointer}) does not read back",
                field.label
            );
            value = after;
        }
    }

    #[test]
    fn every_field_of_every_form_lands_on_its_type() {
        for block in new_blocks() {
            fill_in(block.kind_label(), block.clone(), &form_of(&block));
        }
        fill_in("Post", crate::cms::PostContent::default(), &post_form());
        let product = <crate::cms::ProductContent as crate::cms::Content>::titled("A".into());
        fill_in("Product", product, &product_form());
        for form in site_settings_forms() {
            fill_in("Site settings", SiteSettings::default(), &form);
        }
    }

    #[test]
    fn a_path_that_is_not_a_field_changes_nothing() {
        let hero = new_blocks().remove(0);
        let typo = written(&hero, "/headng", Value::String("Hi".into()));
        assert_eq!(typo, Some(hero));
    }

    #[test]
    fn an_empty_button_is_no_button() {
        let mut hero = serde_json::json!({ "type": "hero", "heading": "x", "subheading": "",
            "cta": { "label": "", "href": "" }, "background_image": "" });
        prune_empty_optionals(&mut hero);
        assert!(hero.get("cta").is_none());
        assert!(hero.get("background_image").is_none());
    }

    #[test]
    fn every_block_type_has_a_form_and_a_new_block() {
        for block in new_blocks() {
            let form = form_of(&block);
            assert!(!form.fields.is_empty(), "{}", block.kind_label());
            // A new block reads back through its own JSON.
            let json = serde_json::to_value(&block).unwrap();
            assert_eq!(serde_json::from_value::<Block>(json).unwrap(), block);
        }
        assert_eq!(new_blocks().len(), 9);
    }
}
