# Consultations (src/web/consultations)
nav-consultations = Consultations
audit-action-consultation-changed = Consultation changed
consultations-title = Consultations
consultations-lead = The town hall asks for your views before deciding. Answer the open consultations and read the results of those that have closed.
consultations-manage = Manage consultations
consultations-open = Open
consultations-forthcoming = Forthcoming
consultations-closed = Closed
consultations-none = No consultations yet.
consultations-staff-title = Manage consultations
consultation-phase-draft = Draft
consultation-phase-forthcoming = Forthcoming
consultation-phase-open = Open
consultation-phase-closed = Closed
consultation-dates = from { $opens } to { $closes }
consultation-whole-commune = The whole commune
consultation-take-part = Take part
consultation-answer-count = { $count ->
    [0] No answers yet.
    [one] One answer.
   *[other] { $count } answers.
}
consultation-already-answered = You have already answered: see your receipt
consultation-sign-in-to-answer = Sign in to answer
consultation-resume = Continue my answers
consultation-start = Answer the consultation
consultation-not-yet-open = The consultation is not open yet.
consultation-draft-note = Draft: only staff can see it.
consultation-staff-link = Manage this consultation
consultation-results-link = See the results
consultation-progress = Page { $page } of { $pages }
consultation-optional = (optional)
consultation-other = Other
consultation-other-say = Other, please say
consultation-choose = Choose an answer
consultation-next = Continue
consultation-previous = Previous page
consultation-send = Send my answers
consultation-preview-banner = Preview: you see the questionnaire as residents will. Nothing is saved.
consultation-preview-done = End of the preview
consultation-preview-done-text = Answers given in the preview are not saved.
consultation-back-to-staff = Back to the consultation
consultation-too-many = Too many answers sent from this connection. Try again in a few minutes.
consultation-thanks-title = Thank you, your answer is saved
consultation-receipt = Receipt number:
consultation-thanks-text = Keep this number: it proves your answer was received. The results will be published when the consultation closes.
consultation-error-required = Answer this question
consultation-error-too-long = The text is too long
consultation-error-not-an-option = Choose one of the answers offered
consultation-error-other-empty = Say what your « Other » answer is
consultation-error-too-few = { $count ->
    [one] Tick at least one answer
   *[other] Tick at least { $count } answers
}
consultation-error-too-many = { $count ->
    [one] Tick only one answer
   *[other] Tick at most { $count } answers
}
consultation-error-not-a-number = Write a whole number, for example 12
consultation-error-between = Write a number between { $min } and { $max }
consultation-error-at-least = Write a number of { $min } or more
consultation-error-at-most = Write a number of { $max } or less
consultation-error-not-a-date = Write a real date, for example 14/07/2026
consultation-results-title = Results: { $title }
consultation-results-total = { $count ->
    [0] No answers.
    [one] One answer in all.
   *[other] { $count } answers in all.
}
consultation-results-visitors = { $count ->
    [one] Of which one from a visitor not signed in.
   *[other] Of which { $count } from visitors not signed in.
}
consultation-results-staff-only = The consultation has not closed: only staff can see these results.
consultation-results-answered = { $count ->
    [0] Nobody answered this question.
    [one] One person answered this question.
   *[other] { $count } people answered this question.
}
consultation-results-option = Answer
consultation-results-count = Count
consultation-results-percent = Percentage
consultation-results-average = Average: { $average }
consultation-results-multiple-note = Several answers allowed: the percentages may add up to more than 100 %.
consultation-results-other-texts = « Other » answers
consultation-results-read = Read the written answers
consultation-results-no-text = No written answers.
consultation-results-pages = Pages of answers
consultation-results-previous = Previous answers
consultation-results-more = Next answers
consultation-hidden-note = hidden question
consultation-export = Download the answers (CSV)
consultation-export-number = Number
consultation-export-date = Date
consultation-export-channel = Channel
consultation-export-neighbourhood = Neighbourhood
consultation-export-account = Account
consultation-export-visitor = Visitor
consultation-export-erased = Deleted account
consultation-new = New consultation
consultation-create = Create the draft
consultation-col-phase = State
consultation-col-answers = Answers
consultation-field-title = Title
consultation-field-summary = Summary
consultation-field-body = Presentation (Markdown)
consultation-field-neighbourhood = Neighbourhood concerned
consultation-field-audience = Who may answer
consultation-audience-anyone = Anyone, even without an account
consultation-audience-signed-in = Signed-in residents
consultation-error-title = Write a title (200 characters at most)
consultation-error-neighbourhood = Choose one of the commune's neighbourhoods
consultation-details = Presentation
consultation-save = Save
consultation-preview = Preview the questionnaire
consultation-public-page = Public page
consultation-meaning-locked-note = Answers exist: questions may be added, hidden or corrected (typos), but not changed in meaning. Each correction is recorded in the log.
consultation-publish = Publish
consultation-field-opens = Opening date
consultation-field-closes = Last day to answer
consultation-error-date = Write a date, for example 01/12/2026
consultation-error-dates = The last day must come after the opening date and not be past
consultation-error-no-questions = Add at least one question before publishing
consultation-close = Close now
consultation-close-text = The consultation will take no more answers and its results will be public.
consultation-questionnaire = Questionnaire
consultation-no-questions = No questions yet.
consultation-page = Page { $page }
consultation-required = required
consultation-hidden = hidden
consultation-edit = Edit
consultation-hide = Hide
consultation-show = Show
consultation-move-up = Move up
consultation-move-down = Move down
consultation-add-question = Add the question
consultation-add-question-hint = Fill in only the fields the chosen type uses: the answers for a choice, the limits for a number or a multiple choice, the scale for a scale.
consultation-edit-question = Edit the question
consultation-field-kind = Type
consultation-field-page = Page
consultation-field-label = Question (or heading of the information block)
consultation-field-hint = Help under the question (or text of the information block)
consultation-field-required = Answer required
consultation-field-choices = Choices
consultation-field-options = Answers offered
consultation-field-options-hint = One per line.
consultation-field-dropdown = Show as a drop-down list
consultation-field-other = Add « Other, please say »
consultation-field-limits = Limits
consultation-field-min = Minimum
consultation-field-max = Maximum
consultation-field-scale = Scale
consultation-field-low = Words for the lowest number
consultation-field-high = Words for the highest number
consultation-kind-info = Information block
consultation-kind-short-text = Short text
consultation-kind-long-text = Long text
consultation-kind-single = Single choice
consultation-kind-multiple = Multiple choice
consultation-kind-scale = Scale
consultation-kind-number = Number
consultation-kind-date = Date
consultation-error-page = Write a page number, from 1
consultation-error-kind = Choose a type of question
consultation-error-label = Write the question
consultation-error-options = Write at least two answers, one per line
consultation-error-bounds = The minimum must be below the maximum (and the number of answers)
consultation-error-scale = Choose a scale from 1 to 5 or from 0 to 10
consultation-error-required-info = An information block cannot be required
consultation-error-meaning-locked = Answers exist: correct a typo only, or hide this question and add a new one
flash-consultation-created = Draft created. Now add the questions.
flash-consultation-saved = Consultation saved.
flash-consultation-published = Consultation published.
flash-consultation-closed = Consultation closed.
flash-question-added = Question added.
flash-question-saved = Questionnaire saved.

## My data (/compte/mes-donnees)
consultation-data = My answers to consultations
consultation-data-none = No answer to a consultation.
consultation-data-answer = Answer sent on { $date }, receipt { $receipt }:
consultation-data-draft = Answers saved on { $date }, not sent yet:

## The outcome: we asked, you said, we did
audit-action-consultation-outcome-published = Consultation outcome published
audit-action-consultation-outcome-updated = Consultation outcome updated
consultation-outcome-title = We asked, you said, we did
consultation-outcome-asked = We asked
consultation-outcome-asked-when = Consultation closed on { $date }, { $count ->
    [one] { $count } answer
   *[other] { $count } answers
}.
consultation-outcome-said = You said
consultation-outcome-all-results = All the results
consultation-outcome-did = We did
consultation-outcome-published-on = Published on { $date }
consultation-outcome-updated-on = updated on { $date }
consultation-outcome-updates = Since then
consultation-outcome-awaited = The town hall's outcome is awaited.
consultation-outcomes-title = Consultation outcomes
consultation-outcomes-lead = Every closed consultation, what residents said and what the commune decided.
consultation-outcomes-none = No consultation has closed yet.
consultation-outcomes-closed-on = closed on { $date }
consultation-outcomes-link = Results and decisions of closed consultations
consultation-outcome-staff-hint = What we asked is the consultation's summary. Write what residents said (the highlights of the results) and what the commune decided; the full results stay linked.
consultation-outcome-field-said = You said: the highlights (Markdown)
consultation-outcome-field-decided = We did: the commune's decision (Markdown)
consultation-outcome-publish = Publish the outcome
consultation-outcome-field-update = A new step (Markdown), dated today
consultation-outcome-add-update = Add to the outcome
consultation-outcome-error-empty = Write this text
flash-consultation-outcome-published = Outcome published.
flash-consultation-outcome-updated = Outcome updated.
consultation-phase-outcome = Outcome published

## Following a consultation, and the mail
consultation-tell-me = Email me when the results are published
consultation-follow = Follow this consultation
consultation-unfollow = Stop following
consultation-follow-hint = You will get an email when the town hall publishes the results and what it decided, then at each new step.
consultation-following = You follow this consultation: you will get an email when the results and each new step are published.
consultation-asked-to-be-told = You asked to be told when the results are published.
flash-consultation-followed = You follow this consultation.
flash-consultation-unfollowed = You no longer follow this consultation.
consultation-mail-receipt-subject = Your answer to “{ $title }”
consultation-mail-receipt-text = We received your answer to the consultation “{ $title }”. Your receipt number: { $receipt }.
consultation-mail-outcome-subject = Results and decision: “{ $title }”
consultation-mail-outcome-text = The town hall published the results of the consultation “{ $title }” and what it decided.
consultation-mail-update-subject = News: “{ $title }”
consultation-mail-update-text = The town hall added a new step to the outcome of the consultation “{ $title }”.
consultation-paper-title = Type in a paper answer
consultation-paper-intro = Copy an answer received on paper or collected in an interview at the town hall: it counts like the others, with its channel.
consultation-paper-channel = Channel of the answer
consultation-paper-neighbourhood = The person's neighbourhood (if they gave it)
consultation-paper-no-neighbourhood = Not given
consultation-paper-send = Save the answer
consultation-paper-kept = Answer no. { $number } saved.
consultation-paper-error-channel = Choose the channel of the answer: paper or interview
consultation-channel-paper = Paper
consultation-channel-interview = Interview
consultation-results-online = Online
consultation-results-channels = of which { $paper } on paper, { $interview } in interviews.
audit-action-consultation-answer-typed = Paper or interview answer typed in

## XLSX exports, the printable summary and coding the written answers
consultation-export-xlsx = Download the answers and counts (XLSX)
consultation-xlsx-sheet-answers = Answers
consultation-xlsx-sheet-counts = Counts
consultation-xlsx-sheet-codes = Codes
consultation-xlsx-all-answers = Answers in all
consultation-xlsx-visitors = Of which visitors not signed in
consultation-xlsx-question = Question
consultation-xlsx-tagged = Answers (numbers)
consultation-summary-link = Printable summary for the municipal council
consultation-summary-title = Summary: { $title }
consultation-summary-back = Back to the results
consultation-summary-print = Print
consultation-summary-print-hint = Laid out on A4, one question per page.
consultation-summary-dates = Dates
consultation-summary-answers = Answers
consultation-summary-printed = Summary of
consultation-summary-channels = Answers by channel
consultation-summary-total = Total
consultation-coding-search-label = Search the written answers
consultation-coding-search = Words to look for
consultation-coding-filter = Code
consultation-coding-all = All codes
consultation-coding-search-button = Search
consultation-coding-found = { $count ->
    [0] No written answer found.
    [one] One written answer found.
   *[other] { $count } written answers found.
}
consultation-coding-tick = Tick the answers to code
consultation-coding-code = Code
consultation-coding-choose = Code to apply or take off
consultation-coding-apply = Apply the code to the ticked answers
consultation-coding-remove = Take the code off the ticked answers
consultation-coding-codes = Codes of this question
consultation-coding-hint = Define your own codes ("Parking", "Safety"…) then apply them to the answers: their counts appear with the results.
consultation-coding-new = New code
consultation-coding-add = Add the code
consultation-coding-caption = Codes of the written answers: { $question }
consultation-coding-duplicate = This question already has this code.
consultation-coding-bad-label = A code is 1 to 80 characters long.
consultation-coding-too-many = This question already has 100 codes.
consultation-coding-none-ticked = Tick at least one answer.
flash-consultation-code-added = Code added.
flash-consultation-code-renamed = Code renamed.
consultation-coding-rename = Rename
consultation-coding-rename-label = New name of the code "{ $code }"
consultation-coding-count = { $count ->
    [0] no answer
    [one] one answer
   *[other] { $count } answers
}
flash-consultation-code-applied = Code applied to the ticked answers.
flash-consultation-code-removed = Code taken off the ticked answers.
audit-action-consultation-answers-coded = Written answers coded
