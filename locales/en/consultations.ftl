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
consultation-audience-verified = Residents verified by the town hall (and staff)
consultation-verified-only = This consultation is for residents whose account the town hall verified. Ask the town hall's front desk to verify yours, or answer on paper at the town hall.
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

## Documents and images, templates, outcome mails (consultations)
consultation-size-mb = { $size } MB
consultation-size-kb = { $size } kB
consultation-documents-title = Documents
consultation-document-link = { $title } (PDF, { $size })
consultation-documents-manage = Documents and images
consultation-documents-staff-title = Documents and images: { $title }
consultation-documents-none = No document or image yet.
consultation-image-alt-is = Text alternative: "{ $alt }"
consultation-document-remove = Remove
consultation-document-add = Add a PDF document
consultation-document-file = PDF file
consultation-document-file-hint = A plan, a leaflet: as a PDF, 20 MB at most. Residents will download it.
consultation-document-title = Title of the document
consultation-document-title-hint = What residents will read on the link, for example "Plan of the square".
consultation-image-add = Add an image
consultation-image-file = Image
consultation-image-file-hint = JPEG, PNG or WebP, 15 MB at most. It is shrunk and its metadata (position, camera) are removed.
consultation-image-alt = Text alternative
consultation-image-alt-hint = Describe what the image shows for people who cannot see it, for example "The square seen from the town hall, with the future trees".
consultation-document-error-missing = Choose a PDF file
consultation-document-error-too-large = The file is larger than 20 MB: make it smaller (for example by exporting it in "web" quality), then send it again
consultation-document-error-not-pdf = This file is not a PDF: its content is not in that format, whatever its name. Save it as a PDF, then send it again
consultation-document-error-title = Give the document a title
consultation-document-error-title-long = The title must be { $max } characters at most
consultation-image-error-missing = Choose an image
consultation-image-error-alt = Write the image's text alternative
flash-consultation-document-added = Document added.
flash-consultation-image-added = Image added.
flash-consultation-document-removed = Document removed.
consultation-new-from-template = New consultation from a template
consultation-templates-title = New consultation from a template
consultation-templates-lead = The template creates a draft with its questions: edit it as any draft before publishing it.
consultation-template-premiere-enquete = First survey: what residents expect from participation
consultation-template-premiere-enquete-text = To run when the platform opens: the subjects residents want to be consulted on, how they wish to take part, how often, and how they heard of the platform.
consultation-template-satisfaction-trimestrielle = Quarterly satisfaction survey
consultation-template-satisfaction-trimestrielle-text = The same questions every quarter (satisfaction from 0 to 10, recommendation, feeling heard, what to improve) to follow progress from one quarter to the next.
consultation-template-questions = { $count } questions
consultation-template-use = Create a draft from this template
flash-consultation-from-template = Draft created from the template. Read it through and adapt it before publishing it.
consultation-unsubscribe-title = Stop being told
consultation-unsubscribe-lead = You will no longer receive emails about the results and outcome of the consultation "{ $title }".
consultation-unsubscribe-confirm = Stop being told
flash-consultation-unsubscribed = You will no longer be told about this consultation.
privacy-retention-consultation-drafts = Answers to a consultation saved but never sent are deleted { $days } days after it closes.
## Ranking, matrix and place on the map (questions of these kinds)
consultation-kind-ranking = Ranking
consultation-kind-matrix = Matrix (rows × one scale)
consultation-kind-point = Place on the map
consultation-field-kinds = Ranking and matrix
consultation-field-kinds-hint = For a ranking, the items to rank; for a matrix, its rows, and its named columns or, without columns, the scale above.
consultation-field-items = Items to rank (one per line, 2 to 20)
consultation-field-rows = Rows of the matrix (one per line, 2 to 20)
consultation-field-columns = Named columns of the matrix (one per line, optional)
consultation-error-items = Give 2 to 20 items to rank, one per line, with no empty line
consultation-error-rows = Give the matrix 2 to 20 rows, one per line, with no empty line
consultation-error-columns = Give 2 to 20 named columns, or none to use the scale from 1 to 5 or from 0 to 10
consultation-error-rank-shared = Two items have the same position: give each a different one
consultation-error-rank-missing = Give every item a position
consultation-error-row-missing = Answer every row of the matrix
consultation-error-address-unknown = This address is not in the commune's address list: check the number and the street name
consultation-error-outside = This point is outside the commune
consultation-error-position = The position sent is not valid: type the address instead
consultation-rank-hint = Give each item its position: 1 for the one you prefer.
consultation-rank-choose = Position…
consultation-point-address = Address
consultation-point-hint = Type an address in the commune: number and street name. With the map, you may also place a point on it.
consultation-results-item = Item
consultation-results-mean-position = Mean position
consultation-results-position = Position { $position }
consultation-results-ranking-chart = Mean position of each item (the lowest is preferred)
consultation-results-ranking-note = The mean position goes from 1 (always ranked first) to { $count } (always last). The table also gives how many people put each item at each position.
consultation-results-row = Row
consultation-results-row-answered = Answers
consultation-results-row-average = Mean
consultation-results-matrix-note = Percentages are of the people who answered the row.
consultation-results-points-title = Places given on the commune's map
consultation-results-points-desc = Each dot is a square of about 100 metres where people gave a place; its size follows their number. The table that follows gives the same figures.
consultation-results-points-outside = { $count } square(s) outside the map's frame, counted in the table.
consultation-results-points-cells = The most cited squares of about 100 metres
consultation-results-place = Place (latitude, longitude)
consultation-results-points-list = Each place given, with its address
## Conditions ("shown only if")
consultation-quoted = “{ $text }”
consultation-or = or
consultation-condition-line = Shown only if { $question } = { $answers }
consultation-condition-hint = Answer only if you answered { $answers } to { $question }.
consultation-condition-base = Asked only after a given earlier answer: percentages of the { $count } people who were asked it.
consultation-condition-always = Always shown
consultation-field-condition = Show only if…
consultation-field-condition-question = The answer to the question
consultation-field-condition-hint = A choice question placed before this one (on an earlier page or higher on the same page). Without JavaScript, save once to see its answers to tick.
consultation-field-condition-options = is one of these answers
consultation-error-condition-tick = Tick at least one answer that shows this question
consultation-error-condition-question = The condition must name a choice question that is shown
consultation-error-condition-order = The condition must name a question placed before this one
consultation-error-breaks-condition = Refused: another question is shown only depending on this one, which must stay a choice question placed before it, with the answers its condition names
flash-question-has-dependents = Not hidden: other questions are shown only depending on this one. Hide them or change their condition first.
flash-question-condition-hidden = Refused: this question's condition names a hidden question.
flash-question-breaks-condition = Not moved: a question shown depending on another must stay after it.

## Editable answers
consultation-editable-title = Editable answers
consultation-editable-on = Signed-in people may change their answer until the close.
consultation-editable-off = An answer sent cannot be changed.
consultation-editable-allow = Allow people to change their answer until the close
consultation-editable-disallow = No longer allow people to change their answer
consultation-editable-note = You will be able to change your answer until the close.
consultation-edit-answer = Change my answer
## Who answered (how representative the answers are)
consultation-groups-title = Who answered
consultation-groups-intro = Of { $count } answers, here is the share of each neighbourhood and each age bracket among respondents, as people gave it on the day they answered, against its share among residents. A group of fewer than { $small } respondents is never counted exactly.
consultation-groups-no-population = The commune's population by neighbourhood and by age bracket is not set: only how respondents are spread is shown.
consultation-groups-no-population-staff = To compare respondents with residents and re-weight the results, give the INSEE census population in the configuration file: commune.population.neighbourhoods and commune.population.age_brackets (see config/parvis.example.toml).
consultation-groups-no-weighting-staff = Re-weighting the results needs the population both by neighbourhood and by age bracket: complete commune.population.neighbourhoods and commune.population.age_brackets in the configuration file.
consultation-groups-score = Representativeness score: { $score }
consultation-groups-score-hint = The participation rate of the group that answered least, divided by that of the group that answered most: 1 when every group answered in the same proportion, near 0 when one of them hardly answered.
consultation-groups-dimension-score = Score for this split: { $score }
consultation-groups-who-quartier = Residents of the { $group } neighbourhood
consultation-groups-who-age = People aged { $group }
consultation-groups-warning = { $group } are { $population } of residents but { $respondents } of answers.
consultation-groups-warning-few = { $group } are { $population } of residents but gave fewer than 5 answers.
consultation-groups-by-quartier = By neighbourhood
consultation-groups-by-age = By age bracket
consultation-groups-group = Group
consultation-groups-population-share = Share of residents
consultation-groups-respondents = Respondents
consultation-groups-respondent-share = Share of respondents
consultation-groups-rate = Participation rate
consultation-groups-unknown = Not given
consultation-groups-fewer-than-5 = fewer than 5
consultation-groups-weighted = Re-weighted
consultation-groups-method-title = How the results are re-weighted
consultation-groups-method-why = The people who answer do not always look like the commune. In the "Re-weighted" column each answer counts with a weight: answers from groups less present among respondents than among residents weigh more, the others less, so that each group weighs what it weighs in the population (the INSEE census).
consultation-groups-method-cells = Each combination of a neighbourhood and an age bracket weighs its share of the population (post-stratification).
consultation-groups-method-raking = As the population crossed by neighbourhood and age is not known, the weights are adjusted in turn to the neighbourhoods then to the age brackets, until both match the population (raking, { $rounds ->
        [one] one round
       *[other] { $rounds } rounds
    }).
consultation-groups-method-excluded = Answers whose neighbourhood or age bracket is not given cannot be re-weighted: they do not count in the "Re-weighted" column ({ $count } answers). A group nobody of which answered cannot be represented either: its share is spread over the others.
consultation-groups-method-approximate = Raking stopped after { $rounds } rounds without matching exactly: the re-weighted percentages are approximate.
consultation-groups-method-raw = The raw figures remain the reference: re-weighting shows what respondents would have said had every group answered in the same proportion.
consultation-groups-split-title = Results by group
consultation-groups-split-none = Hide the split
consultation-paper-age = The person's age bracket (if they gave it)
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
