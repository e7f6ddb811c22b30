audit-action-budget-changed = Participatory budget changed
budget-age-not-verified = Your age is not verified: this vote is for people of the minimum age, as checked by the town hall.

## The residents' pages (`web::budgets`)
nav-budgets = Participatory budget
budgets-title = Participatory budgets
budgets-lead = The commune sets aside part of its investment budget for projects that residents propose, the services study, and your vote chooses.
budgets-none = No participatory budget for now.
budget-current-phase = Current stage:
budget-total = Total amount: { $amount }
budget-phases-title = The stages
budget-phase-draft = Draft
budget-phase-forthcoming = Forthcoming
budget-phase-submission = Submission of projects
budget-phase-study = Study by the services
budget-phase-vote = Vote
budget-phase-results = Results
budget-phase-follow-up = Follow-up of the works
budget-phase-from = from { $date }
budget-phase-now = now
budget-pot-neighbourhood = { $neighbourhood } neighbourhood
budget-pot-commune = The whole commune
budget-link-process = Overview and projects
budget-link-vote = Vote
budget-link-results = Results
budget-study-pending = Being studied
budget-study-feasible = Feasible
budget-study-cost = cost estimated by the services: { $cost }
budget-study-not-feasible = Not feasible:
budget-style-basket = "Basket" vote: choose projects whose total is within the amount of each pot.
budget-style-approval = Choose up to { $max } projects in each pot.
budget-whole-commune = The whole commune
budget-proposed-cost = proposed cost: { $cost }
budget-rules-title = The rules of this budget
budget-audience-signed-in = Anyone with an account may vote.
budget-audience-verified = Only residents whose account the town hall verified may vote.
budget-min-age = You must be at least { $age }, as checked by the town hall.
budget-changeable = You may change your vote until the close.
budget-final = A vote is final: it cannot be changed.
budget-secret = The vote is secret: the list of who voted and the ballot box are kept apart, and a ballot carries no name and no time.
budget-rule-greedy = Winners are chosen by votes, skipping those that no longer fit in what is left.
budget-rule-neighbourhoods = Each neighbourhood's best-ranked project is chosen first, if it fits in the budget; then the others by votes.
budget-rule-equal-shares = Winners are chosen by the Method of Equal Shares: each voter holds an equal share of the budget.
budget-no-projects = No project in this pot.
budget-projects-title = Projects
budget-projects-csv = Download the projects on the ballot (CSV)
budget-field-number = Number
budget-field-pot = Pot
budget-field-neighbourhood = Neighbourhood
budget-field-category = Category
budget-field-proposed-cost = Proposed cost
budget-field-study = Study by the services
budget-field-location = Location
budget-field-description = Description
budget-map-label = Map: where the project is
budget-from-proposal = See the proposal this project comes from

## The ballot
budget-vote-title = Vote: { $title }
budget-not-allowed-verified = This vote is for residents whose account the town hall verified.
budget-too-young = This vote is for people of the minimum age the commune set.
budget-get-verified = Have my account verified
budget-total-chosen = Total chosen:
budget-total-of = of { $amount }
budget-total-left = Left:
budget-over-pot = Your choice is over this pot's amount: remove a project.
budget-count-chosen = Projects chosen:
budget-too-many = You chose more than { $max } projects in this pot: remove some.
budget-one-neighbourhood = You may choose projects for the whole commune and for one neighbourhood only.
budget-recalculate = Recalculate
budget-cast-vote = Vote
budget-change-vote = Change my vote
budget-vote-not-yet = The vote opens on { $date }.
budget-vote-over = The vote is closed.
budget-sign-in-to-vote = Sign in to vote: one person, one vote.
budget-sign-in = Sign in to vote
budget-voted-on = You voted on { $day }.
budget-voted-on-paper = You voted on paper on { $day }.
budget-may-change = You may change your vote until the close: your new ballot will replace the earlier one.
budget-vote-final = Your vote is final.
budget-error-over = Your choice is over this pot's amount: remove a project, then vote.
budget-error-too-many = You chose more than { $max } projects in this pot: remove some, then vote.
budget-error-neighbourhoods = You chose projects in two neighbourhoods: keep those of one neighbourhood.
budget-error-empty = Choose at least one project.
budget-error-not-on-ballot = A chosen project is not on the ballot: reload the page.
budget-error-already-voted = You already voted in this participatory budget.
flash-budget-voted = Your vote is recorded. Thank you!
flash-budget-vote-changed = Your vote is changed: your new ballot replaces the earlier one.

## The results
budget-results-title = Results: { $title }
budget-results-later = The results will be published at the close of the vote, on { $date }. Nobody, the town hall included, sees the counts before.
budget-results-partial = Provisional results: the vote is still open.
budget-ballots-count = { $count ->
    [one] { $count } ballot in the box.
   *[other] { $count } ballots in the box.
}
budget-pot-voters = { $count ->
    [one] { $count } voter chose at least one project of this pot.
   *[other] { $count } voters chose at least one project of this pot.
}
budget-no-winner = No project chosen.
budget-winners = Winning projects:
budget-spent = Amount committed: { $spent } of { $amount }.
budget-ranking = Ranking
budget-col-rank = Rank
budget-col-project = Project
budget-col-votes = Votes
budget-col-cost = Cost
budget-col-won = Chosen
budget-won = Chosen
budget-not-won = Not chosen
budget-how-title = How the winners were chosen
budget-rule-greedy-explained = Projects are taken in the order of their votes; a project that no longer fits in what is left of the pot is skipped, and the next one is considered.
budget-rule-neighbourhoods-explained = Going down the ranking, each neighbourhood's best-ranked project is taken first, if it fits in the pot; then the others in the order of their votes, skipping those that no longer fit.
budget-rule-equal-shares-explained = Method of Equal Shares: each voter receives an equal share of the pot. A project is funded when those who chose it can pay for it together, each the same amount or all they have left; the project that costs each of its supporters least is funded first.
budget-example-taken = For example: "{ $project }" ({ $votes } votes, { $cost }) fitted in the pot: it is chosen, { $left } is left.
budget-example-skipped = "{ $project }" ({ $votes } votes, { $cost }) no longer fitted in the { $left } left: it is not chosen, and the next one was considered.
budget-example-min-votes = "{ $project }" has only { $votes } votes, fewer than the minimum of { $min }: it is not chosen.
budget-example-all-fit = Every project fitted in the pot in the order of the votes.
budget-example-neighbourhood-first = For example: "{ $project }" ({ $votes } votes, { $cost }) is the best-ranked project of the { $neighbourhood } neighbourhood that fitted in the pot: it is chosen first.
budget-example-shares = Here, { $voters } voters share { $amount }: each holds { $share }.
budget-example-shares-first = "{ $project }" ({ $votes } votes, { $cost }) costs each of its supporters { $each }, less than their share: it is funded first.
budget-example-shares-rest = When no project can be paid for that way any more, the money left goes to the next projects by votes, as long as they fit.
budget-tie-rule = When projects have the same number of votes, the cheaper one comes first; at the same cost, the one with the lower number.
budget-tie-cheaper = "{ $first }" and "{ $second }" have { $votes } votes each: "{ $first }", cheaper, is ranked first.
budget-tie-number = "{ $first }" and "{ $second }" have { $votes } votes each and the same cost: "{ $first }", with the lower number, is ranked first.
budget-participation-title = Who voted
budget-participation-intro = { $count ->
    [one] { $count } person voted. By neighbourhood and age, against the census; a group of fewer than 5 people is not detailed.
   *[other] { $count } people voted. By neighbourhood and age, against the census; a group of fewer than 5 people is not detailed.
}
budget-groups-by-quartier = Voters by neighbourhood
budget-groups-by-age = Voters by age
budget-groups-voters = Voters
budget-groups-voter-share = Share of voters
budget-downloads-title = Download and recount
budget-results-csv = Download the results (CSV)
budget-ballots-csv = Download the anonymous ballots (CSV)
budget-ballots-after-close = The anonymous ballots can be downloaded after the close of the vote.
budget-recount-link = How to recount the results yourself
budget-recount-title = Recounting a participatory budget
budget-recount-script = Download the recount script (recount.py)
home-budget-title = Participatory budget: the vote is open
home-budget-vote = Vote for the projects of "{ $title }"
