# Participatory budget: the winning projects' follow-up (src/web/budgets/follow_up.rs,
# src/web/admin/budget_follow_up.rs).

budget-link-follow-up = Project follow-up
budget-follow-up-title-of = Winning projects' follow-up — { $process }
budget-follow-up-lead = Where the projects you chose stand: their status, their progress and the main steps of the work.
budget-follow-up-not-yet = The follow-up will start once the vote is closed and the results are known.
budget-follow-up-no-winner = No project was chosen.
budget-follow-up-of-project = Follow how this project is carried out
budget-follow-up-status = Status:
budget-follow-up-status-studying = Being studied
budget-follow-up-status-in-progress = Under way
budget-follow-up-status-done = Completed
budget-follow-up-status-abandoned = Abandoned
budget-follow-up-abandoned-because = Why it was abandoned: { $reason }
budget-follow-up-progress-of = Progress of “{ $project }”
budget-follow-up-progress = Progress: { $percent }%
budget-follow-up-milestones = Milestones
budget-follow-up-no-milestone = No milestone published yet.

budget-follow-up-staff-title = Winning projects' follow-up
budget-follow-up-status-title = Status and progress
budget-follow-up-field-status = Project status
budget-follow-up-field-progress = Progress, as a percentage
budget-follow-up-field-progress-hint = A number from 0 to 100. A completed project is at 100%.
budget-follow-up-field-reason = Why it was abandoned (published; only if the project is abandoned)
budget-follow-up-field-date = Date of the milestone
budget-follow-up-field-date-hint = For example 15/03/2027.
budget-follow-up-field-title = Title of the milestone
budget-follow-up-field-text = Text of the milestone (optional, Markdown)
budget-follow-up-add = Add the milestone
budget-follow-up-edit = Edit
budget-follow-up-edit-title = Edit a milestone
budget-follow-up-remove = Remove
budget-follow-up-error-progress = Enter a progress between 0 and 100.
budget-follow-up-error-reason = Say why the project is abandoned.
budget-follow-up-error-title = Enter a title of 200 characters at most.
budget-follow-up-error-too-long = This text is too long: 2,000 characters at most.
budget-follow-up-error-too-many = This project already has 100 milestones: remove some before adding one.
budget-follow-up-error-date = Enter a date, for example 15/03/2027.
budget-follow-up-error-no-results = The vote is not closed: the winning projects are not known yet.
budget-follow-up-error-not-winner = This project was not chosen by the vote: only winning projects are followed up.
budget-follow-up-flash-status = The project's status is saved.
budget-follow-up-flash-added = The milestone is added.
budget-follow-up-flash-saved = The milestone is changed.
budget-follow-up-flash-removed = The milestone is removed.
