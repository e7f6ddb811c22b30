# Meetings and workshops (src/web/meetings)
nav-meetings = Meetings
audit-action-meeting-changed = Meeting changed
meetings-title = Meetings
meetings-lead = Public meetings, co-design workshops, council sessions and neighbourhood walks: come and talk it over with the town hall and your neighbours.
meetings-manage = Manage meetings
meetings-coming = Coming up
meetings-none-coming = No meeting planned for now.
meetings-past = Past
meetings-subscribe = Subscribe to the meetings calendar (iCalendar)
meetings-subscribe-hint = Copy this link into your calendar app (Thunderbird, Google Calendar, Outlook, Apple Calendar): new meetings and changes will show up by themselves.
meetings-staff-title = Manage meetings
meeting-weekday-0 = Monday
meeting-weekday-1 = Tuesday
meeting-weekday-2 = Wednesday
meeting-weekday-3 = Thursday
meeting-weekday-4 = Friday
meeting-weekday-5 = Saturday
meeting-weekday-6 = Sunday
meeting-when = { $day } { $date }, { $start } to { $end }
meeting-kind-public-meeting = Public meeting
meeting-kind-workshop = Co-design workshop
meeting-kind-council-session = Council session
meeting-kind-neighbourhood-walk = Neighbourhood walk
meeting-status-draft = Draft
meeting-status-cancelled = Cancelled
meeting-whole-commune = The whole town
meeting-online = Online
meeting-cancelled-notice = This meeting is cancelled.
meeting-map-label = Map of the meeting's place (the address that follows gives the same place)
meeting-field-place = Place
meeting-field-online = Link to take part online
meeting-field-organiser = Organised by
meeting-field-agenda = Agenda
meeting-accessibility = Accessibility
meeting-accessibility-none = No accessibility information was given: contact the town hall with any request.
meeting-step-free = Step-free access (wheelchair)
meeting-hearing-loop = Hearing loop
meeting-sign-language = French Sign Language (LSF) interpreting
meeting-add-to-calendar = Add to my calendar (.ics)
meeting-staff-link = Manage this meeting
meeting-registration = Registration
meeting-seats-left = { $count ->
    [0] All seats are taken.
    [one] One seat left.
   *[other] { $count } seats left.
}
meeting-you-are = { $spot ->
    [waiting] You are on the waiting list (code { $code }).
   *[other] You are registered (code { $code }).
}
meeting-your-registration = My registration
meeting-full-waiting-list = You can join the waiting list: if a seat frees up, it will be yours and you will be told by email.
meeting-field-your-name = Your name
meeting-field-your-email = Your email address
meeting-field-your-email-hint = To send you the confirmation link, your code, a reminder the day before and the cancellation link. It is encrypted and used for this meeting only.
meeting-join-waiting-list = Join the waiting list
meeting-register = Register
meeting-registration-closed = Registration is closed.
meeting-too-many = Too many registrations sent from this connection. Try again in a few minutes.
flash-meeting-waiting = You are on the waiting list. An email is on its way.
flash-meeting-registered = You are registered. An email with your code is on its way.
meeting-error-name = Enter your name
meeting-error-email = Enter a valid email address, like name@example.com
meeting-error-already-registered = This address is already registered for this meeting: follow the link in the email you received.
meeting-spot-seated = You are registered: a seat is kept for you.
meeting-spot-waiting = You are on the waiting list: if a seat frees up, it will be yours and you will be told by email.
meeting-spot-cancelled = Your registration is cancelled.
meeting-your-code = Your registration code:
meeting-code-hint = Give it at the door. It is also in the email you received.
meeting-cancel-text = Cannot come? Cancel your registration: your seat will go to the first person on the waiting list.
meeting-cancel-registration = Cancel my registration
flash-meeting-registration-cancelled = Your registration is cancelled.
meeting-error-kind = Choose the kind of meeting
meeting-error-date = Enter the date, like 2026-03-28
meeting-error-time = Enter the time, like 18:30
meeting-error-coordinates = Enter the latitude and longitude in decimal degrees, like 45.1885 and 5.7245, or leave them empty
meeting-error-seats = Enter a number of seats from 1 to 10,000, or leave it empty for no limit
meeting-error-title = Enter a title of 200 characters at most
meeting-error-too-long = A text is too long
meeting-error-times = The end must come after the start, and a meeting lasts a day at most
meeting-error-no-place = Enter an address, a link to take part online, or both
meeting-error-link = The link must be a secure address starting with https://
meeting-error-neighbourhood = Choose a neighbourhood from the list
meeting-field-title = Title
meeting-field-kind = Kind of meeting
meeting-field-date = Date
meeting-field-start = Start time
meeting-field-time-hint = The town's time (Paris), like 18:30
meeting-field-end = End time
meeting-field-address = Address
meeting-field-address-hint = The room and the address, like "Village hall, 1 Town Hall Square". Leave empty for a meeting held only online.
meeting-field-lat = Latitude (optional)
meeting-field-lon = Longitude (optional)
meeting-field-online-hint = Optional. An https:// address, like a video call's.
meeting-field-neighbourhood = Neighbourhood
meeting-field-accessibility-note = Other accessibility information
meeting-field-registration = Registration required
meeting-field-seats = Number of seats
meeting-field-seats-hint = Leave empty for no limit. Once the seats are taken, people join a waiting list.
meeting-new = New meeting
meeting-col-when = Date
meeting-col-status = State
meeting-col-registered = Registered
meeting-create = Create the draft
flash-meeting-created = The meeting's draft is created.
meeting-public-page = See the public page
meeting-attendance = Attendance list
meeting-registered-count = { $seated } registered, { $waiting } on the waiting list
meeting-details = The meeting
meeting-save = Save
meeting-publish = Publish
meeting-publish-text = Once published, the meeting is shown to everyone, in the calendar and on the home page.
meeting-cancel = Cancel the meeting
meeting-cancel-meeting-text = The meeting will stay listed as cancelled, and everyone registered will be told by email.
flash-meeting-saved = The meeting is saved.
flash-meeting-published = The meeting is published.
flash-meeting-cancelled = The meeting is cancelled; the people registered are being told.
meeting-attendance-title = Attendance: { $title }
meeting-attendance-count = { $came } came of { $count } registered
meeting-col-number = No.
meeting-col-name = Name
meeting-col-code = Code
meeting-col-spot = Seat
meeting-col-came = Present
meeting-spot-short-seated = Registered
meeting-spot-short-waiting = Waiting list
meeting-spot-short-cancelled = Cancelled
meeting-mark-absent = Unmark { $name } as present
meeting-mark-present = Mark { $name } as present
flash-meeting-attendance = The attendance list is up to date.
home-meetings-title = Upcoming meetings
home-meetings-all = All meetings
meeting-mail-registered-subject = Registration confirmed: { $title }
meeting-mail-registered-text =
    You are registered for the meeting "{ $title }", on { $when }.
    Your registration code: { $code }
    If you cannot come, cancel your registration to free your seat: { $cancel }
meeting-mail-waiting-subject = Waiting list: { $title }
meeting-mail-waiting-text =
    All seats for the meeting "{ $title }", on { $when }, are taken: you are on the waiting list. If a seat frees up, it will be yours and you will get an email.
    Your registration code: { $code }
    To leave the waiting list: { $cancel }
meeting-mail-promoted-subject = A seat is free for you: { $title }
meeting-mail-promoted-text =
    Good news: a seat has freed up for the meeting "{ $title }", on { $when }. It is yours.
    Your registration code: { $code }
    If you can no longer come, cancel your registration: { $cancel }
meeting-mail-cancelled-subject = Registration cancelled: { $title }
meeting-mail-cancelled-text = Your registration for the meeting "{ $title }", on { $when }, is cancelled (code { $code }).
meeting-mail-meeting-cancelled-subject = Meeting cancelled: { $title }
meeting-mail-meeting-cancelled-text = The meeting "{ $title }", planned on { $when }, is cancelled. We are sorry for this change.
meeting-mail-reminder-subject = Reminder: { $title }, tomorrow
meeting-mail-reminder-text =
    A reminder that you are registered for the meeting "{ $title }", on { $when }.
    Your registration code: { $code }
    If you cannot come, cancel your registration to free your seat: { $cancel }
meeting-data = My meeting registrations
meeting-data-none = No meeting registration.
meeting-data-row = registered on { $date }, code { $code }: { $spot ->
    [seated] seat kept
    [waiting] waiting list
   *[other] cancelled
}
delete-kept-meetings = Your registrations to past meetings stay counted in the attendance, with no link to you; those to meetings to come are cancelled and your seat goes to the next person on the waiting list.
meeting-mail-changed-subject = New time or place: { $title }
meeting-mail-changed-text =
    The meeting "{ $title }" has changed. It now takes place on { $when }, { $place }.
    Your registration code: { $code }
    If you can no longer come, cancel your registration to free your seat: { $cancel }

# After the meeting: minutes, attendance, what was discussed, a workshop's ideas (src/web/meetings/after.rs)
meeting-month-1 = January
meeting-month-2 = February
meeting-month-3 = March
meeting-month-4 = April
meeting-month-5 = May
meeting-month-6 = June
meeting-month-7 = July
meeting-month-8 = August
meeting-month-9 = September
meeting-month-10 = October
meeting-month-11 = November
meeting-month-12 = December
meeting-day-month = { $day } { $month }
meeting-workshop-of = Workshop of { $date }
meeting-minutes = Minutes
meeting-minutes-none = The minutes are not published yet.
meeting-came = { $count ->
    [one] One person came.
   *[other] { $count } people came.
}
meeting-came-marked = { $count ->
    [0] Nobody is marked present on the attendance list yet.
    [one] One person is marked present on the attendance list.
   *[other] { $count } people are marked present on the attendance list.
}
meeting-discussed = Discussed
meeting-discussed-proposal = Proposal: { $title }
meeting-discussed-consultation = Consultation: { $title }
meeting-discussed-report = Problem report no. { $number }
meeting-ideas = Proposals from the workshop
meeting-ideas-text = Record each idea the workshop produced as a proposal, on behalf of the group: it is shown as coming from the workshop and gets supports, an answer and follow-up like the others.
meeting-ideas-no-box = No idea box is open: open one to record the workshop's ideas in it.
meeting-field-minutes = Minutes (Markdown)
meeting-field-counted = Number of people who came
meeting-field-discussed-hint = The numbers, separated by commas, for example 12, 15. They appear as links on the public page, and each page says it was discussed at this meeting.
meeting-field-discussed-proposals = Proposals (numbers)
meeting-field-discussed-consultations = Consultations (numbers)
meeting-field-discussed-reports = Problem reports (numbers)
meeting-minutes-save = Save the minutes
meeting-field-idea-box = Idea box
meeting-field-idea-title = Title of the proposal
meeting-field-idea-body = Description
meeting-field-idea-category = Category
meeting-idea-record = Record the proposal
flash-meeting-minutes-saved = The minutes are saved.
flash-meeting-idea-recorded = The workshop's proposal is recorded.
meeting-error-counted = Enter a number of people between 0 and 100,000, or leave it empty
meeting-error-discussed-number = Enter numbers separated by commas, for example 12, 15
meeting-error-discussed-unknown = Number { $number } matches nothing public
meeting-error-idea-box = Choose an open idea box
meeting-error-idea-title = Enter a title of 150 characters at most
proposal-from-workshop = From the workshop of { $date }
proposal-discussed-at = Discussed at:
meeting-visitor-confirm-hint = Without an account, you will first receive an email with a link to confirm your address. No seat is held before: you get one (or a place on the waiting list) when you confirm, within 48 hours.
flash-meeting-confirm-sent = Almost done: we have just sent you an email. Follow its link to confirm your registration; until then, no seat is held. Without confirmation within 48 hours (or before the meeting starts), the request is deleted.
flash-meeting-confirm-resent = You had already asked to register: the confirmation link has been sent to you again. No seat is held until you follow it.
meeting-confirm-title = Confirm my registration
meeting-confirm-text = { $name }, press the button to confirm your registration. You will get a seat if any are left, otherwise a place on the waiting list. This link is valid until { $expires } and works only once.
meeting-confirm-button = Confirm my registration
meeting-confirm-invalid-title = This confirmation link is no longer valid
meeting-confirm-invalid-text = This link has been used already, has expired (48 hours, or the start of the meeting), or is incomplete. If you have confirmed already, your code is in the confirmation email.
meeting-confirm-ask-again = Back to the meeting to ask for a new link
meeting-mail-confirm-subject = Confirm your registration: { $title }
meeting-mail-confirm-text =
    You asked to register for the meeting “{ $title }” on { $when } ({ $place }).
    To confirm your registration, follow this link within { $hours } hours: { $confirm }
    No seat is held until you confirm. If you did not ask for anything, ignore this email: the request and your address will be deleted.
meeting-documents = Documents
meeting-documents-none = No document is attached to the minutes.
meeting-document-link = { $name } ({ $kind }, { $size })
meeting-document-kind-pdf = PDF
meeting-document-kind-image = JPEG image
meeting-document-remove = Remove “{ $name }”
meeting-document-file = File
meeting-document-file-hint = A PDF or an image (JPEG, PNG or WebP), 20 MB at most. Images are saved again without their metadata.
meeting-document-name = Name of the document
meeting-document-name-hint = What the link says, for example “Slides of the meeting”. For an image, describe it: this is its text alternative.
meeting-document-add = Attach the document
meeting-document-error-name = Give the document a name
meeting-document-error-name-long = The document's name must be { $max } characters at most
meeting-document-error-missing = Choose a PDF file or an image
meeting-document-error-too-large = This file is too large: 20 MB at most for a PDF, 15 MB for an image
meeting-document-error-format = This file is neither a PDF nor an image (JPEG, PNG or WebP)
meeting-document-error-not-over = Documents are attached to the minutes, once the meeting is over
meeting-document-error-too-many = The minutes already hold as many documents as they may: remove one first
flash-meeting-document-added = The document is attached to the minutes.
flash-meeting-document-removed = The document is removed.
meeting-pending-count = { $count ->
    [one] one request waits for its email confirmation (no seat held)
   *[other] { $count } requests wait for their email confirmation (no seat held)
}
