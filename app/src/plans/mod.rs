//! The plans a business can be on and what each allows: the one table the pricing page is
//! written from, and that usage limits are to be checked against.

/// One plan. `None` means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub name: &'static str,
    /// US dollars a month.
    pub monthly_usd: u32,
    /// Who it is for, in one line.
    pub for_whom: &'static str,
    pub ai_calls_per_month: Option<u32>,
    pub sites: Option<u32>,
    pub members: Option<u32>,
    pub custom_domains: Option<u32>,
}

pub const PLANS: [Plan; 3] = [
    Plan {
        name: "Free",
        monthly_usd: 0,
        for_whom: "To try everything with one site.",
        ai_calls_per_month: Some(1_000),
        sites: Some(1),
        members: Some(2),
        custom_domains: Some(0),
    },
    Plan {
        name: "Growth",
        monthly_usd: 29,
        for_whom: "For a business whose site and team are growing.",
        ai_calls_per_month: Some(10_000),
        sites: Some(3),
        members: Some(10),
        custom_domains: Some(3),
    },
    Plan {
        name: "Pro",
        monthly_usd: 99,
        for_whom: "For agencies and busy shops.",
        ai_calls_per_month: None,
        sites: Some(25),
        members: None,
        custom_domains: Some(25),
    },
];

impl Plan {
    /// "Free" or "$29 a month".
    pub fn price(&self) -> String {
        match self.monthly_usd {
            0 => "Free".into(),
            usd => format!("${usd} a month"),
        }
    }

    /// What the plan allows, a phrase each: "10,000 AI calls a month", "3 sites"...
    pub fn allowances(&self) -> Vec<String> {
        vec![
            amount(
                self.ai_calls_per_month,
                "AI call a month",
                "AI calls a month",
            ),
            amount(self.sites, "site", "sites"),
            amount(self.members, "team member", "team members"),
            match self.custom_domains {
                Some(0) => "your site at a free address of ours".into(),
                other => amount(other, "custom domain", "custom domains"),
            },
        ]
    }
}

fn amount(limit: Option<u32>, one: &str, many: &str) -> String {
    match limit {
        None => format!("Unlimited {many}"),
        Some(1) => format!("1 {one}"),
        Some(n) => format!("{} {many}", thousands(n)),
    }
}

/// 10000 → "10,000".
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_read_as_a_person_would_say_them() {
        assert_eq!(PLANS[0].price(), "Free");
        assert_eq!(PLANS[1].price(), "$29 a month");
        assert_eq!(
            PLANS[1].allowances(),
            [
                "10,000 AI calls a month",
                "3 sites",
                "10 team members",
                "3 custom domains"
            ]
        );
        assert_eq!(PLANS[0].allowances()[0], "1,000 AI calls a month");
        assert_eq!(PLANS[0].allowances()[1], "1 site");
        assert_eq!(PLANS[2].allowances()[0], "Unlimited AI calls a month");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
