//! Accounts: a business becomes a customer. Sign-up creates the owner, the tenant (with
//! its site address) and the owner's membership in one transaction, gives the site a
//! first page, and signs the owner in.

pub mod api;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod notices;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// Site addresses nobody can sign up for: the platform's own names, and names people
/// would take for the platform's.
pub const RESERVED_ADDRESSES: &[&str] = &[
    "www",
    "admin",
    "api",
    "app",
    "mail",
    "email",
    "smtp",
    "imap",
    "pop",
    "ftp",
    "ns1",
    "ns2",
    "dashboard",
    "cms",
    "login",
    "signup",
    "account",
    "accounts",
    "partner",
    "partners",
    "support",
    "help",
    "docs",
    "status",
    "billing",
    "static",
    "assets",
    "media",
    "cdn",
    "pkg",
    "fonts",
    "platform",
    "bizosaas",
    "root",
    "system",
    "test",
];

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Hashing cost grows with length; nobody types more.
pub const MAX_PASSWORD_CHARS: usize = 200;
pub const MAX_NAME_CHARS: usize = 100;
const ADDRESS_CHARS: std::ops::RangeInclusive<usize> = 3..=40;

/// What the form says about a site address as it is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressCheck {
    /// What follows the address: `.example.com`.
    pub suffix: String,
    /// Why it cannot be had; None when it is free.
    pub problem: Option<String>,
}

/// Why `address` cannot be a site address (`{address}.{base domain}`); the form says
/// it as you type, and the server again before creating anything.
pub fn address_problem(address: &str) -> Option<String> {
    let length = address.chars().count();
    if length == 0 {
        return Some("Choose your site's address.".into());
    }
    if !address
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("Use lowercase letters, digits and hyphens only (no spaces or dots).".into());
    }
    if !ADDRESS_CHARS.contains(&length) {
        return Some(format!(
            "Use {} to {} characters.",
            ADDRESS_CHARS.start(),
            ADDRESS_CHARS.end()
        ));
    }
    if !address.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("Start the address with a letter.".into());
    }
    if address.ends_with('-') || address.contains("--") {
        return Some("Hyphens go between words: no hyphen at the end or two in a row.".into());
    }
    if RESERVED_ADDRESSES.contains(&address) {
        return Some(format!(
            "\"{address}\" is reserved; choose another address."
        ));
    }
    None
}

/// The address a business name suggests: "Joe's Bakery & Café" → `joes-bakery-caf`.
pub fn suggested_address(business: &str) -> String {
    let mut address = String::new();
    for c in business.trim().to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            address.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_' || c == '.' || c == '&')
            && !address.is_empty()
            && !address.ends_with('-')
        {
            address.push('-');
        }
    }
    let address: String = address
        .trim_start_matches(|c: char| !c.is_ascii_lowercase())
        .chars()
        .take(*ADDRESS_CHARS.end())
        .collect();
    address.trim_end_matches('-').to_string()
}

/// What is wrong with a sign-up's fields apart from the password's strength and the
/// address being free (both need the server); one sentence each.
pub fn sign_up_problems(
    name: &str,
    email: &str,
    password: &str,
    business: &str,
    address: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    if name.trim().is_empty() {
        problems.push("Tell us your name.".to_string());
    } else if name.trim().chars().count() > MAX_NAME_CHARS {
        problems.push(format!("Keep your name under {MAX_NAME_CHARS} characters."));
    }
    if !crate::crm::is_email(email.trim()) {
        problems.push("Enter your email address, like you@example.com.".to_string());
    }
    problems.extend(password_length_problem(password));
    problems.extend(business_problems(business, address));
    problems
}

/// What is wrong with a new business's name and site address, as sentences.
pub fn business_problems(business: &str, address: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if business.trim().is_empty() {
        problems.push("Tell us your business's name.".to_string());
    } else if business.trim().chars().count() > MAX_NAME_CHARS {
        problems.push(format!(
            "Keep the business name under {MAX_NAME_CHARS} characters."
        ));
    }
    problems.extend(address_problem(address));
    problems
}

/// Why a password's length will not do; None when it will.
pub fn password_length_problem(password: &str) -> Option<String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        Some(format!(
            "Use a password of at least {MIN_PASSWORD_CHARS} characters."
        ))
    } else if length > MAX_PASSWORD_CHARS {
        Some(format!(
            "Use a password of at most {MAX_PASSWORD_CHARS} characters."
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_short_lowercase_words_that_are_not_ours() {
        assert_eq!(address_problem("joes-bakery"), None);
        assert_eq!(address_problem("a1b"), None);
        for bad in [
            "",
            "ab",
            "Joes",
            "joe's",
            "joe.s",
            "joe bakery",
            "1joe",
            "joe-",
            "jo--e",
            "www",
            "admin",
            "api",
            "dashboard",
        ] {
            assert!(address_problem(bad).is_some(), "{bad:?} was accepted");
        }
        assert!(address_problem(&"a".repeat(41)).is_some());
    }

    #[test]
    fn a_business_name_suggests_an_address() {
        assert_eq!(suggested_address("Joe's Bakery & Café"), "joes-bakery-caf");
        assert_eq!(suggested_address("  42 Rockets  "), "rockets");
        assert_eq!(suggested_address("Acme"), "acme");
        assert_eq!(
            address_problem(&suggested_address("Globex Energy Ltd.")),
            None
        );
    }

    #[test]
    fn every_field_says_what_is_wrong() {
        assert!(
            sign_up_problems("Joe", "joe@example.com", "long enough pw", "Joe's", "joes")
                .is_empty()
        );
        let problems = sign_up_problems("", "joe@", "short", "", "WWW");
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(
            !sign_up_problems("Joe", "joe @example.com", "long enough pw", "J", "joes").is_empty()
        );
    }
}
