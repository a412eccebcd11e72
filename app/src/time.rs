//! How the product writes dates, times and durations, in the browser and on the server
//! alike (UTC throughout; no time-zone data is shipped to the browser).

/// `2026-11-22` for a day number (days since 1970-01-01, UTC); usable in the browser too.
pub fn day_label(day: i64) -> String {
    // Days to civil date, after Howard Hinnant's `civil_from_days`.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2026-11-22 14:05 UTC` for a unix-milliseconds time; usable in the browser too.
pub fn day_time_label(unix_ms: i64) -> String {
    let minutes = unix_ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!(
        "{} {:02}:{:02} UTC",
        day_label(unix_ms.div_euclid(86_400_000)),
        minutes / 60,
        minutes % 60
    )
}

/// `YYYY-MM-DD` (UTC) of a unix-milliseconds time.
pub fn iso_date(unix_ms: i64) -> String {
    day_label(unix_ms.div_euclid(86_400_000))
}

/// `2026-11-22T13:05:09Z` (UTC) of a unix-milliseconds time.
pub fn iso_datetime(unix_ms: i64) -> String {
    let seconds = unix_ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        iso_date(unix_ms),
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// `22 November 2026`, for people.
pub fn human_date(unix_ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let date = iso_date(unix_ms);
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next(), parts.next(), parts.next());
    match (
        year,
        month.and_then(|m| m.parse::<usize>().ok()),
        day.and_then(|d| d.parse::<u32>().ok()),
    ) {
        (Some(year), Some(month @ 1..=12), Some(day)) => {
            format!("{day} {} {year}", MONTHS[month - 1])
        }
        _ => date,
    }
}

/// `3.2 s`, `4 min 5 s`, `2 h 10 min`.
pub fn duration_label(ms: i64) -> String {
    let seconds = ms / 1_000;
    match seconds {
        0..60 => format!("{:.1} s", ms as f64 / 1000.0),
        60..3_600 => format!("{} min {} s", seconds / 60, seconds % 60),
        _ => format!("{} h {} min", seconds / 3_600, seconds % 3_600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(951_782_400_000), "2000-02-29");
        assert_eq!(iso_date(1_795_305_600_000 + 86_399_999), "2026-11-22");
        assert_eq!(
            iso_datetime(1_795_305_600_000 + 3_723_000),
            "2026-11-22T01:02:03Z"
        );
        assert_eq!(human_date(1_795_305_600_000), "22 November 2026");
        assert_eq!(
            day_time_label(1_795_305_600_000 + 3_723_000),
            "2026-11-22 01:02 UTC"
        );
    }

    #[test]
    fn durations_read_like_a_person_would_say_them() {
        assert_eq!(duration_label(3_210), "3.2 s");
        assert_eq!(duration_label(245_000), "4 min 5 s");
        assert_eq!(duration_label(7_800_000), "2 h 10 min");
    }
}
