audit-action-budget-changed = Participatory budget changed
budget-age-not-verified = Your age is not verified: this vote is for people of the minimum age, as checked by the town hall.
