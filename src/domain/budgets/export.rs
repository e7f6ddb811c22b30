//! The anonymous ballots and the projects as CSV, for anyone to recount
//! after the close with `scripts/recount.py` (docs/budgets-recount.md).

use super::*;

fn to_string(rows: Vec<Vec<String>>) -> Result<String, StoreError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(&row).map_err(|e| StoreError::Internal(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| StoreError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| StoreError::Internal(e.to_string()))
}

/// `ballot,day,choices`: each ballot's random id, its day and its project
/// numbers separated by spaces, in the order of the ids.
pub fn ballots_csv(ballots: &[(BallotId, Ballot)]) -> Result<String, StoreError> {
    let mut rows = vec![vec!["ballot".into(), "day".into(), "choices".into()]];
    for (id, b) in ballots {
        let choices: Vec<String> = b.choices.iter().map(u64::to_string).collect();
        rows.push(vec![id.to_string(), b.day.clone(), choices.join(" ")]);
    }
    to_string(rows)
}

/// `number,pot,pot_amount_cents,cost_cents,neighbourhood`: the projects on
/// the ballot (found feasible), at the cost the ballot showed.
pub fn projects_csv(p: &Process, projects: &[Project]) -> Result<String, StoreError> {
    let mut rows: Vec<Vec<String>> =
        vec![["number", "pot", "pot_amount_cents", "cost_cents", "neighbourhood"].map(String::from).to_vec()];
    for pr in projects {
        let (Some(cost), Some(pot)) = (pr.ballot_cost(), p.pots.get(pr.pot)) else { continue };
        rows.push(vec![
            pr.number.to_string(),
            pr.pot.to_string(),
            pot.amount_cents.to_string(),
            cost.to_string(),
            pr.neighbourhood.clone().unwrap_or_default(),
        ]);
    }
    to_string(rows)
}
