//! Calendar days as day numbers: the dates in the knowledge tables, compared and printed without a date crate.

use std::fmt;

/// A day of the proleptic Gregorian calendar, counted from 1970-01-01 (day 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub u32);

impl Day {
    /// The day for a date, or `None` for an invalid date or one before 1970.
    pub fn from_ymd(year: u32, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Days from civil, after Howard Hinnant's algorithm (March-based years put leap days last).
        let year = i64::from(year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month_from_march = (i64::from(month) + 9) % 12;
        let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        let days = era * 146_097 + day_of_era - 719_468;
        u32::try_from(days).ok().map(Day)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Day> {
        let mut parts = text.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        let well_formed = parts.next().is_none()
            && year.len() == 4
            && month.len() == 2
            && day.len() == 2
            && text.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return None;
        }
        Day::from_ymd(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// The date as (year, month, day).
    pub fn ymd(self) -> (u32, u32, u32) {
        // Civil from days, the inverse of `from_ymd`.
        let days = i64::from(self.0) + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
        let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        // The values are in range by construction: a u32 day count stays within year 11 million.
        (year as u32, month as u32, day as u32)
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Day {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        let cases = [("1970-01-01", 0), ("2000-02-29", 11_016), ("2014-08-04", 16_286), ("2026-08-19", 20_684)];
        for (text, number) in cases {
            assert_eq!(Day::parse(text), Some(Day(number)), "{text}");
            assert_eq!(Day(number).to_string(), text);
        }
    }

    #[test]
    fn round_trips_every_day_for_a_century() {
        for number in 0..36_600 {
            let day = Day(number);
            assert_eq!(Day::parse(&day.to_string()), Some(day));
        }
    }

    #[test]
    fn rejects_invalid_dates() {
        for text in ["", "2023-02-29", "2023-13-01", "2023-00-10", "2023-01-32", "1969-12-31", "2023-1-01", "23-01-01"]
        {
            assert_eq!(Day::parse(text), None, "{text:?}");
        }
        for text in ["2023-01-01-", "+023-01-01", "2023-01-0é", "2023/01/01", "２０２３-01-01"] {
            assert_eq!(Day::parse(text), None, "{text:?}");
        }
    }
}
