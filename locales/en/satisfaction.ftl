# The quarterly satisfaction survey (banner, dashboard)
satisfaction-banner-title = Your opinion on taking part
satisfaction-banner-text = You took part in quarter { $quarter }. Tell us in a minute whether the commune involves you well in its decisions.
satisfaction-banner-answer = Answer the questionnaire
satisfaction-banner-dismiss = Do not show again
satisfaction-dismissed = The banner will not be shown again for this quarter.
satisfaction-title = Residents' satisfaction
satisfaction-lead = Each quarter, residents who took part are asked to rate taking part from 1 to 5. No score is detailed under 5 answers.
satisfaction-create = Create the satisfaction survey of quarter { $quarter }
satisfaction-this-quarter = The survey of quarter { $quarter }
satisfaction-created = The survey's draft is created: review it, then publish it.
satisfaction-already = This quarter's survey already exists.
satisfaction-none = No satisfaction survey yet.
satisfaction-scores = Satisfaction score per quarter (1 to 5) and answers per score
satisfaction-quarter = Quarter
satisfaction-answers = Answers
satisfaction-mean = Mean score
