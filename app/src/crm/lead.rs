//! Turns what a visitor typed into a form into a `Lead`, or sentences saying what to fix.

use std::collections::HashMap;

use super::Lead;
use crate::cms::{FieldKind, FormField};

pub fn parse_lead(
    fields: &[FormField],
    values: &HashMap<String, String>,
) -> Result<Lead, Vec<String>> {
    let mut problems = Vec::new();
    let mut lead = Lead {
        email: String::new(),
        name: String::new(),
        phone: String::new(),
        company: String::new(),
        fields: Vec::new(),
    };
    for field in fields {
        let value = values
            .get(field.kind.as_str())
            .map(|v| v.trim())
            .unwrap_or("");
        if value.is_empty() {
            if field.required || field.kind == FieldKind::Email {
                problems.push(format!("Please fill in “{}”.", field.label));
            }
            continue;
        }
        if value.chars().count() > field.kind.max_chars() {
            problems.push(format!(
                "“{}” is too long (at most {} characters).",
                field.label,
                field.kind.max_chars()
            ));
            continue;
        }
        match field.kind {
            FieldKind::Email if !is_email(value) => {
                problems.push(format!("“{value}” does not look like an email address."));
                continue;
            }
            FieldKind::Email => lead.email = value.to_lowercase(),
            FieldKind::Name => lead.name = value.to_string(),
            FieldKind::Phone => lead.phone = value.to_string(),
            FieldKind::Company => lead.company = value.to_string(),
            FieldKind::Message => {}
        }
        lead.fields.push((field.label.clone(), value.to_string()));
    }
    if problems.is_empty() {
        Ok(lead)
    } else {
        Err(problems)
    }
}

/// A plausible address: something@domain.tld, no spaces. Delivery is the real test.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    value.len() <= 254
        && !local.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Vec<FormField> {
        vec![
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
            FormField {
                kind: FieldKind::Message,
                label: "Message".into(),
                required: false,
            },
        ]
    }

    fn values(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_good_submission_becomes_a_lead() {
        let lead = parse_lead(
            &form(),
            &values(&[
                ("name", " Ada "),
                ("email", "Ada@Example.COM"),
                ("message", "Hi"),
            ]),
        )
        .unwrap();
        assert_eq!(lead.email, "ada@example.com");
        assert_eq!(lead.name, "Ada");
        assert_eq!(
            lead.fields,
            vec![
                ("Your name".into(), "Ada".into()),
                ("Email".into(), "Ada@Example.COM".into()),
                ("Message".into(), "Hi".into())
            ]
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let problems = parse_lead(&form(), &values(&[("email", "not an email")])).unwrap_err();
        assert_eq!(
            problems,
            vec![
                "Please fill in “Your name”.".to_string(),
                "“not an email” does not look like an email address.".to_string()
            ]
        );
        let long = "x".repeat(5_001);
        let problems = parse_lead(
            &form(),
            &values(&[("name", "A"), ("email", "a@b.co"), ("message", &long)]),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn emails() {
        assert!(is_email("a@b.co"));
        for bad in ["a@b", "@b.co", "a b@c.co", "a@.co", "a@co.", "<a@b.co>"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
