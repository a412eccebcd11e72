//! Products a tenant sells: a price in a currency, images, and a buy link the tenant
//! sets (their own checkout, a marketplace, a mail address).

use serde::{Deserialize, Serialize};

use super::blocks::Problems;
use super::content::{segment_problem, Collection, Content};
use super::{Image, MAX_META_DESCRIPTION_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProductContent {
    pub name: String,
    /// A sentence for lists and search results.
    #[serde(default)]
    pub summary: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    pub price: Money,
    #[serde(default)]
    pub images: Vec<Image>,
    /// Where "Buy" leads; no button without one.
    #[serde(default)]
    pub buy_url: String,
}

/// An amount in the currency's smallest unit (cents), so sums are exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Money {
    pub minor_units: i64,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
}

/// Currencies we show, with their symbol and how many digits follow the point.
const CURRENCIES: &[(&str, &str, u32)] = &[
    ("USD", "$", 2),
    ("EUR", "€", 2),
    ("GBP", "£", 2),
    ("CAD", "CA$", 2),
    ("AUD", "A$", 2),
    ("NZD", "NZ$", 2),
    ("CHF", "CHF ", 2),
    ("SEK", "SEK ", 2),
    ("NOK", "NOK ", 2),
    ("DKK", "DKK ", 2),
    ("PLN", "PLN ", 2),
    ("CZK", "CZK ", 2),
    ("INR", "₹", 2),
    ("BRL", "R$", 2),
    ("MXN", "MX$", 2),
    ("ZAR", "R ", 2),
    ("SGD", "S$", 2),
    ("HKD", "HK$", 2),
    ("JPY", "¥", 0),
    ("KRW", "₩", 0),
];

/// The currency codes an editor can choose from.
pub fn currency_codes() -> Vec<&'static str> {
    CURRENCIES.iter().map(|(code, _, _)| *code).collect()
}

/// The most a price may be, in minor units (ten billion in the major unit).
const MAX_MINOR_UNITS: i64 = 1_000_000_000_000;

impl Money {
    fn currency(&self) -> Option<(&'static str, u32)> {
        CURRENCIES
            .iter()
            .find(|(code, _, _)| *code == self.currency)
            .map(|(_, symbol, digits)| (*symbol, *digits))
    }

    /// The amount as schema.org and payment providers want it: `1299.00`.
    pub fn decimal(&self) -> String {
        let digits = self.currency().map_or(2, |(_, d)| d);
        let scale = 10_i64.pow(digits);
        let (whole, part) = (self.minor_units / scale, self.minor_units % scale);
        if digits == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{part:0width$}", width = digits as usize)
        }
    }

    /// For people: `$1,299.00`, `¥1,500`.
    pub fn display(&self) -> String {
        let symbol = self.currency().map_or("", |(s, _)| s);
        let decimal = self.decimal();
        let (whole, part) = decimal.split_once('.').unwrap_or((&decimal, ""));
        let mut grouped = String::new();
        for (n, digit) in whole.chars().enumerate() {
            if n > 0 && (whole.len() - n) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        let part = if part.is_empty() {
            String::new()
        } else {
            format!(".{part}")
        };
        format!("{symbol}{grouped}{part}")
    }

    fn problems(&self, p: &mut Problems) {
        if self.currency().is_none() {
            let known: Vec<&str> = CURRENCIES.iter().map(|(code, _, _)| *code).collect();
            p.0.push(format!(
                "The currency \"{}\" is not one we support: use one of {}.",
                self.currency,
                known.join(", ")
            ));
        }
        if !(0..=MAX_MINOR_UNITS).contains(&self.minor_units) {
            p.0.push("The price must be zero or more, and less than ten billion.".into());
        }
    }
}

impl Content for ProductContent {
    const COLLECTION: Collection = Collection::Product;

    fn path(slug: &str) -> String {
        format!("/products/{slug}")
    }

    fn slug_problem(slug: &str) -> Option<String> {
        match slug {
            "page" => Some("\"page\" is reserved for the product list.".into()),
            _ => segment_problem(slug),
        }
    }

    fn title(&self) -> &str {
        &self.name
    }

    fn titled(title: String) -> Self {
        ProductContent {
            name: title,
            price: Money {
                minor_units: 0,
                currency: "USD".into(),
            },
            ..ProductContent::default()
        }
    }

    fn missing_for_visitors(&self) -> Vec<String> {
        let mut missing = Vec::new();
        if self.summary.trim().is_empty() && self.description.trim().is_empty() {
            missing
                .push("The product has no summary or description yet: say what it is.".to_string());
        }
        if self.price.minor_units <= 0 {
            missing.push("The product has no price yet.".to_string());
        }
        missing
    }

    fn problems(&self) -> Vec<String> {
        let mut p = Problems::default();
        p.required("The name", &self.name);
        p.limit("The name", &self.name, MAX_TITLE_CHARS);
        p.limit("The summary", &self.summary, MAX_META_DESCRIPTION_CHARS);
        p.limit("The description", &self.description, MAX_TEXT_CHARS);
        self.price.problems(&mut p);
        p.items(self.images.len());
        for (n, image) in self.images.iter().enumerate() {
            p.image(&format!("Image {}", n + 1), image);
        }
        if !self.buy_url.trim().is_empty() {
            p.url("The buy link", &self.buy_url, true);
        }
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(minor_units: i64, currency: &str) -> Money {
        Money {
            minor_units,
            currency: currency.into(),
        }
    }

    #[test]
    fn prices_read_as_people_expect() {
        assert_eq!(money(129_900, "USD").display(), "$1,299.00");
        assert_eq!(money(5, "EUR").display(), "€0.05");
        assert_eq!(money(1_500, "JPY").display(), "¥1,500");
        assert_eq!(money(123_456_789, "CHF").display(), "CHF 1,234,567.89");
        assert_eq!(money(129_900, "USD").decimal(), "1299.00");
    }

    #[test]
    fn products_are_validated() {
        let product = ProductContent {
            name: "Anvil".into(),
            price: money(-1, "XYZ"),
            buy_url: "javascript:alert(1)".into(),
            ..ProductContent::default()
        };
        assert_eq!(product.problems().len(), 3, "{:?}", product.problems());
    }
}
