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
satisfaction-mail-subject = Your opinion on taking part ({ $quarter })
satisfaction-mail-text = You took part this quarter ({ $quarter }): a proposal, support, comment, report, answer, vote or registration. Tell us in a minute whether the commune involves you well in its decisions by answering the questionnaire “{ $title }”. You will receive this message only once for this quarter.
satisfaction-public-lead = Each quarter, residents who took part rate taking part from 1 to 5. A quarter's score appears when its survey closes, and only from 5 answers.
satisfaction-too-few = fewer than 5 answers
metrics-chart-satisfaction = Mean satisfaction score per quarter (1 to 5)
metrics-desc-satisfaction = Residents' mean satisfaction score (1 to 5) for each quarter, the oldest at the top; the number of answers is in the table.
satisfaction-comments-title = Free comments of quarter { $quarter }
satisfaction-comments-count = { $count ->
        [0] No comment.
        [one] 1 comment.
       *[other] { $count } comments.
    }
satisfaction-comments-read = Read and tag the comments
satisfaction-comments-no-tags = No tag yet: make some (for example “accessibility”, “slowness”) on the comments page, then tick the comments they fit.
satisfaction-tags-caption = Comments per tag, quarter { $quarter }
satisfaction-tag = Tag
satisfaction-tag-count = Comments
