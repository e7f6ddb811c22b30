//! Ideas and proposals on the web: idea boxes, posting, supporting,
//! following, the town hall's answers and follow-up, "what we did".

pub mod boxes;
pub mod page;
pub mod staff;

use maud::{html, Markup};

use crate::app::AppState;
use crate::domain::notifications::Notifier;
use crate::domain::proposals::Status;
use crate::i18n::Lang;
use crate::web::chrome::Chrome;

/// The notifier for messages sent from these pages.
pub fn notifier(state: &AppState) -> Notifier {
    Notifier { base_url: state.config.server.public_url.as_str().to_string() }
}

/// A status as a coloured, labelled badge (the colour is not the only cue).
pub fn status_badge(lang: Lang, status: Status) -> Markup {
    html! { span class={ "badge badge-" (status.code()) } { (lang.t(&format!("status-{}", status.code()))) } }
}

/// A progress bar with its value in text.
pub fn progress(chrome: &Chrome, percent: u8) -> Markup {
    html! {
        div.progress {
            progress max="100" value=(percent) aria-label=(chrome.t("proposal-progress")) { (percent) " %" }
            span { (percent) " %" }
        }
    }
}

/// The commune's time zone, looked up once (a look-up in the time zone
/// database on every date of every page adds up).
fn paris() -> jiff::tz::TimeZone {
    static PARIS: std::sync::LazyLock<jiff::tz::TimeZone> =
        std::sync::LazyLock::new(|| jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC));
    PARIS.clone()
}

/// A date for people (Europe/Paris), as `%d/%m/%Y`: written out rather
/// than through `strftime`, which parses its pattern on every call (lists
/// and pages show several dates each).
pub fn date(unix: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(unix) else { return String::new() };
    let d = ts.to_zoned(paris()).date();
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// A date and time for people (Europe/Paris), as `%d/%m/%Y %H:%M`
/// (`account::settings::when`), written out for the same reason as
/// [`date`] and with the time zone looked up once: a discussion shows one
/// per comment.
pub fn date_time(unix: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(unix) else { return String::new() };
    let t = ts.to_zoned(paris()).datetime();
    format!("{:02}/{:02}/{:04} {:02}:{:02}", t.day(), t.month(), t.year(), t.hour(), t.minute())
}

/// Parses a `YYYY-MM-DD` date as the start of that day in Paris.
pub fn parse_date(text: &str) -> Option<i64> {
    let d: jiff::civil::Date = text.trim().parse().ok()?;
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    d.to_zoned(tz).ok().map(|z| z.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_reads_as_strftime_wrote_it() {
        let strftime =
            |unix: i64| jiff::Timestamp::from_second(unix).unwrap().to_zoned(paris()).strftime("%d/%m/%Y").to_string();
        // Around midnight in Paris, summer and winter, the year 1000 and 9999.
        for unix in [0, 1_711_836_000, 1_711_839_599, 1_729_980_000, 1_764_457_200, -30_610_224_000, 253_402_207_200] {
            assert_eq!(date(unix), strftime(unix), "{unix}");
        }
        assert_eq!(date(1_764_457_200), "30/11/2025");
    }

    #[test]
    fn a_date_and_time_reads_as_the_account_pages_write_it() {
        // Around midnight and the clock changes in Paris, the year 1000 and 9999.
        for unix in [
            0,
            1_711_846_799,
            1_711_846_800,
            1_729_990_799,
            1_729_990_800,
            1_764_457_259,
            -30_610_224_000,
            253_402_207_200,
        ] {
            assert_eq!(date_time(unix), crate::web::account::settings::when(unix), "{unix}");
        }
        assert_eq!(date_time(1_764_457_259), "30/11/2025 00:00");
    }
}
