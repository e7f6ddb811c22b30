//! What every CSV export of the site shares (the problem reports', the
//! consultations' answers): the guard against a cell read as a formula.

/// Resident text in a cell: a leading `=`, `+`, `-` or `@` (or a tab or a
/// carriage return, which some spreadsheets skip before one) would make
/// Excel and LibreOffice run it as a formula (CSV injection, OWASP), so such
/// a cell starts with an apostrophe, which both show as text.
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::text_cell;

    #[test]
    fn a_cell_that_a_spreadsheet_would_run_starts_with_an_apostrophe() {
        for formula in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(text_cell(formula), format!("'{formula}"));
        }
        for text in ["Des bancs", "1 = 1", "", "l'été"] {
            assert_eq!(text_cell(text), text, "ordinary text is left as typed");
        }
    }
}
