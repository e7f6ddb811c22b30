# Parvis — interface texts in English (second language).
# Every message has its counterpart in ../fr/parvis.ftl; a test checks it.

## Layout
skip-to-content = Skip to content
site-tagline = Citizen participation
nav-label = Main menu
nav-home = Home
footer-accessibility = Accessibility: { $status }
footer-powered = Powered by Parvis, free software

flash-language-changed = The site is now shown in English.

## Error pages
error-back-home = Back to the home page
error-request-id = If the problem persists, give the town hall this reference:
error-404-title = Page not found
error-404-text = This page does not exist or has moved. Check the address, or start again from the home page.
error-403-title = Access denied
error-403-text = You are not allowed to see this page.
error-405-title = Action not possible
error-405-text = This address does not allow this action.
error-400-title = Incorrect request
error-400-text = The information sent is not valid. Go back and try again.
error-429-title = Too many attempts
error-429-text = You made too many attempts in a short time. Please wait a little before trying again.
error-503-title = Service temporarily unavailable
error-503-text = The site is under maintenance. Try again in a few minutes.
error-507-title = Cannot save for now
error-507-text = The server is short of disk space: what you sent was not saved. Go back to the previous page (your text is still there) and try again later; the town hall is warned by the server's log.
error-500-title = Something went wrong
error-500-text = We could not process your request. Nothing you had already saved is lost. Try again in a moment.
error-csrf-title = The form has expired
error-csrf-text = For your security, this form is no longer valid. Go back to the previous page, reload it, then send your request again.

## Home
home-title = Take part in the life of { $commune }
home-default-intro = Give your opinion, share your ideas and follow what the town hall does with them.
home-participants-title = Taking part
home-residents = { $count ->
    [0] No resident registered yet
    [one] { $count } resident registered
   *[other] { $count } residents registered
}
home-neighbourhoods-title = Neighbourhoods
home-neighbourhoods-text = Your contributions can be linked to one of these neighbourhoods.
home-about-title = A site of the commune
home-about-text = This site belongs to the commune and is hosted for it. Your data is never sold nor used for advertising.
home-about-privacy-link = How your data is protected

## Legal notice
legal-notice-title = Legal notice
legal-not-provided = To be completed by the town hall
legal-publisher = Publisher
legal-director = Director of publication
legal-host = Hosting
legal-contributions-title = Residents' contributions
legal-contributions-text = Contributions are published under their authors' responsibility and in keeping with the participation charter. The town hall may hide a contribution that breaks the law or the charter; its author is told.
legal-software-title = Software
legal-software-text = This site runs Parvis { $version }, free software under the GNU AGPL version 3 or later.
legal-source-from-publisher = The corresponding source code can be obtained from the publisher of the site.
legal-source-at = The corresponding source code is available to everyone:
source-code-link = Source code

## Personal data
privacy-title = Personal data
privacy-intro = The commune of { $commune } processes your personal data only to let you take part in local life, in accordance with the General Data Protection Regulation (GDPR).
privacy-controller-title = Who is responsible?
privacy-controller = Data controller
privacy-dpo = Data protection officer
privacy-dpo-contact = Contact to exercise your rights
privacy-data-title = Which data?
privacy-data-account = Your account: email address, display name and password (kept hashed, never in clear).
privacy-data-profile = If you agree, your neighbourhood and age bracket, used only for anonymous participation statistics.
privacy-data-contributions = Your contributions: answers, ideas, comments, reports and votes.
privacy-data-logs = A security log (sign-ins, administration actions) with the IP address, to protect accounts.
privacy-purpose-title = Why?
privacy-purpose-text = This processing is part of the commune's public-interest task (GDPR article 6.1.e): consulting residents and reporting back to them. Your data is never sold, nor used for commercial or advertising purposes.
privacy-retention-title = For how long?
privacy-retention-accounts = Your account is kept until you delete it, or after { $days } days without signing in, after a warning. Your published contributions then stay visible under the name "Deleted participant".
privacy-retention-audit = The security log is kept for { $days } days.
privacy-retention-backups = Backups, taken every { $hours } hours, are kept { $count } at most.
privacy-retention-no-backups = No scheduled backup is set up.
privacy-cookies-title = Cookies
privacy-cookies-text = This site only uses strictly necessary cookies: your choice of language, a security token for forms and, when you are signed in, your session. No audience measurement or advertising cookie, no third-party service: so no consent is asked.
privacy-rights-title = Your rights
privacy-rights-text = You may access your data, correct it, erase it, get a copy of it or object to its processing, by writing to the contact above.
privacy-cnil = If you believe your rights are not respected, you may lodge a complaint with the CNIL (the French data protection authority).

## Accessibility
a11y-title = Accessibility statement
a11y-status-none = not compliant
a11y-status-partial = partially compliant
a11y-status-full = fully compliant
a11y-commitment = The commune of { $commune } is committed to making its digital services accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005.
a11y-scope = This accessibility statement applies to the site { $url }.
a11y-conformity-title = Compliance status
a11y-conformity-none = The site { $url } is not compliant with the French accessibility framework (RGAA), version 4.1: no audit has yet measured its compliance.
a11y-conformity-partial = The site { $url } is partially compliant with the French accessibility framework (RGAA), version 4.1, because of the non-compliances listed below.
a11y-conformity-full = The site { $url } is fully compliant with the French accessibility framework (RGAA), version 4.1.
a11y-results-title = Test results
a11y-no-audit = No compliance audit has been made yet.
a11y-non-compliant-title = Inaccessible content
a11y-none-known = No inaccessible content is known to date.
a11y-establishment-title = How this statement was made
a11y-technologies = Technologies used: HTML5, CSS and, optionally, JavaScript. Every page works without JavaScript.
a11y-testing = Every page of Parvis is checked automatically with the axe-core tool, in a browser, at each change of the software; an automatic check does not replace an audit.
a11y-contact-title = Feedback and contact
a11y-contact-text = If you cannot access some content or service, contact the town hall to be directed to an accessible alternative or to get the content in another form.
a11y-contact = Accessibility contact
a11y-remedy-title = Remedies
a11y-remedy-text = If you reported an accessibility problem that prevents you from accessing content or a service and did not get a satisfactory answer, you may refer it to the Défenseur des droits (the French rights ombudsman):
a11y-remedy-online = through the online form of the Défenseur des droits;
a11y-remedy-delegate = by contacting the delegate of the Défenseur des droits in your region;
a11y-remedy-mail = by post, free of charge, without a stamp: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.

## Forms
form-error-summary = There is a problem
form-error-prefix = Error:
page-title-error = Error: { $title }
form-not-given = I prefer not to say
field-display-name = Display name
field-display-name-hint = It will appear next to your contributions. A first name, a full name or a pseudonym.
field-email = Email address
field-email-hint = We will send a link to it to check that it is yours.
field-password = Password
field-new-password = New password
field-new-password-hint = At least 10 characters. A sentence of several words is easy to remember and hard to guess; you may paste it.
field-new-email = New email address
field-new-email-hint = We will send a link to it: the address changes once you follow it.
field-neighbourhood = Your neighbourhood
field-age-bracket = Your age bracket
field-stats-consent = I agree that my neighbourhood and age bracket are used for anonymous participation statistics.
field-code = Verification code
field-code-hint = The 6 digits shown by your app, or one of your recovery codes.
error-display-name = Enter a display name of 2 to 60 characters.
error-email = Enter a valid email address, like firstname.lastname@example.org.
error-password = The password is not correct.
error-sign-in = The email address or the password is not correct.
error-account-blocked = This account is blocked. Contact the town hall to know more.
error-choose-from-list = Choose an answer from the list.
error-stats-consent = Tick the box so that we may use your neighbourhood and age bracket, or leave both on "I prefer not to say".
error-too-many = Too many attempts. Try again in { $seconds } seconds.
error-code = This code is not valid. Check your phone's clock and enter the code shown now.
error-code-replayed = This code has already been used. Wait for your app to show a new one.
password-too-short = The password must be at least { $min } characters long.
password-too-long = The password must be at most 256 characters long.
password-too-guessable = This password is too easy to guess. Try a sentence of several unrelated words.
age-under-18 = Under 18
age-18-29 = 18 to 29
age-30-44 = 30 to 44
age-45-59 = 45 to 59
age-60-74 = 60 to 74
age-75-plus = 75 and over

## Account
nav-account = My account
sign-in-title = Sign in
sign-in-submit = Sign in
sign-in-no-account = No account yet?
sign-out = Sign out
sign-up-title = Create an account
sign-up-lead = An account lets you answer consultations, share ideas and follow your reports.
sign-up-stats-title = For statistics (optional)
sign-up-stats-why = The town hall wants to know whether every neighbourhood and every generation takes part. These two answers are never published nor linked to your contributions: they are only counted.
sign-up-privacy-link = How your data is protected
sign-up-submit = Create my account
sign-up-have-account = Already have an account?
sign-up-sent-title = Check your email
sign-up-sent-text = If this address can be used, a message with a confirmation link has just been sent to it. The link works for 7 days.
sign-up-sent-spam = Nothing after a few minutes? Look in your spam folder.
sign-in-code-title = Enter your code
sign-in-code-lead = Your account is protected by two-factor authentication. Open your authenticator app.
sign-in-code-submit = Continue
sign-in-code-cancel = Cancel
unconfirmed-title = Confirm your address
unconfirmed-text = Before you first sign in, follow the link we sent to your email address.
unconfirmed-resend = Get a new link
confirm-title = Confirm your address
confirm-text = Press the button to confirm your email address.
confirm-change-title = Confirm your new address
confirm-change-text = Press the button to use the address { $email } from now on.
confirm-submit = Confirm
link-invalid-title = This link no longer works
link-invalid-text = It has already been used or it has expired. Ask for a new one if needed.
forgot-title = Forgotten your password?
forgot-lead = Enter your account's email address: we will send a link to choose a new password.
forgot-submit = Get the link
forgot-again = Ask for a new link
forgot-sent-title = Check your email
forgot-sent-text = If an account uses this address, a link has just been sent to it. It works for one hour, once.
reset-title = Choose a new password
reset-submit = Save the password
account-title = My account
account-role = Role
account-service = Service
account-2fa = Two-factor authentication
account-2fa-on = On
account-2fa-off = Off
account-activity = My activity and my data
account-my-data = My personal data
account-delete = Delete my account
account-security = Security
role-resident = Resident
role-verified-resident = Verified resident
role-moderator = Moderator
role-staff = Town hall staff
role-admin = Administrator
change-password-title = Change password
change-password-one-time = You signed in with a one-time password: choose your own now.
change-password-lead = You will be signed out on all your other devices.
change-password-submit = Change the password
change-email-title = Change email address
change-email-current = Current address: { $email }
change-email-submit = Get the confirmation link
reauth-title = Confirm it is you
reauth-lead = To protect your account, enter your password again before this change.
reauth-submit = Continue
sessions-title = Signed-in devices
sessions-lead = These are the devices where you are signed in. Sign out those you do not recognise, then change your password.
sessions-device = Device
sessions-ip = IP address
sessions-started = Signed in
sessions-last-seen = Last activity
sessions-action = Action
sessions-this-device = This device
sessions-revoke = Sign out
sessions-revoke-others = Sign out all other devices
session-warning-title = Your session will end soon
session-warning-text = Without activity, you will be signed out in two minutes. Anything typed and not yet sent would be lost.
session-expired-text = Your session has ended.
session-extend = Stay signed in
two-factor-title = Two-factor authentication
two-factor-lead = Besides your password, a one-time code shown by an app on your phone protects your account.
two-factor-is-on = Two-factor authentication is on.
two-factor-codes-left = { $count ->
    [0] You have no recovery code left: make new ones.
    [one] You have { $count } recovery code left.
   *[other] You have { $count } recovery codes left.
}
two-factor-new-codes = Make new recovery codes
two-factor-disable = Turn off two-factor authentication
two-factor-required-for-role = Your role at the town hall requires two-factor authentication.
two-factor-how = You need an authenticator app (for example FreeOTP, Aegis or your phone's own).
two-factor-start = Turn on two-factor authentication
two-factor-setup-title = Set up your app
two-factor-step-app = Open your authenticator app and add an account.
two-factor-step-scan = Scan this QR code with the app:
two-factor-step-type = Or, if you cannot scan, type this key into the app:
two-factor-step-code = Enter below the 6-digit code the app shows.
two-factor-confirm = Turn on
two-factor-codes-title = Your recovery codes
two-factor-codes-lead = If you lose your phone, each of these codes lets you sign in once. Write them down or print them and keep them safe.
two-factor-codes-once = These codes will never be shown again.
two-factor-codes-done = I have saved my codes

## Messages after an action
flash-signed-out = You are signed out.
flash-email-confirmed = Your address is confirmed. You can sign in.
flash-email-taken = This address is already used by another account: nothing changed.
flash-email-changed = Your email address has been changed.
flash-email-change-sent = A confirmation link has been sent to the new address.
flash-password-reset = Your password has been changed. Sign in with the new one.
flash-password-changed = Your password has been changed. Your other devices have been signed out.
flash-sessions-revoked = The chosen devices have been signed out.
flash-nothing-changed = Nothing changed.
flash-two-factor-required = Your role requires two-factor authentication: turn it on to continue.
flash-two-factor-disabled = Two-factor authentication is off.
flash-recovery-codes-low = You have few recovery codes left: make new ones.

## Mail (administration)
demo-banner = Demo site: the commune, its residents and their contributions are fictional.
outbox-title = Sent mail
outbox-demo = Demo: no message leaves this machine. You can read them here.
outbox-no-smtp = No SMTP server is set up (smtp.host): messages wait and will leave once it is.
outbox-counts = Waiting: { $pending } · failed: { $failed }
outbox-empty = No message yet.
outbox-date = Date
outbox-to = Recipient
outbox-subject = Subject
outbox-state = State
outbox-pending = Waiting ({ $attempts } attempt(s))
outbox-sent = Sent on
outbox-failed = Given up

## System state (administration)
system-title = System state
system-version = Parvis version
system-uptime = Running for
system-hours = { $hours } h
system-database = Database
system-free-space = Free disk space
system-backups = Backups
system-backups-off = scheduled backups are off (backup.interval_hours = 0)
system-backups-none-yet = no scheduled backup yet
system-backups-newest = the newest is { $hours } h old; { $count } kept of { $keep }
system-backups-late = The last scheduled backup is late: look at the server's log.
system-disk-full = The disk is full: saving is refused until space is freed.
system-mail = Mail
system-certificate = TLS certificate valid until

## Ideas and proposals
nav-ideas = Ideas
boxes-title = Idea boxes
boxes-lead = The town hall opens idea boxes on given themes. Share your ideas, support others', and follow what the town hall does with them.
boxes-none = No idea box is open for now.
box-upcoming = Opens on { $from }
box-open = Open until { $to }
box-closed = Closed since { $to }
box-threshold = A proposal that gathers { $count } supports is put on the town hall's agenda.
box-propose = Share an idea
box-proposals = The proposals
box-no-proposals = No proposal matches.
sort-label = Order of the proposals
sort-random = Random
sort-recent = Most recent
sort-supported = Most supported
filter-all = All
filter-apply = Filter
field-category = Category
field-neighbourhood-place = Neighbourhood
field-status = Status
pagination-label = Pages
pagination-previous = Previous page
pagination-next = Next page
status-submitted = Submitted
status-under-study = Under study
status-accepted = Accepted
status-rejected = Rejected
status-in-progress = In progress
status-done = Done
proposal-supports = { $count ->
    [0] No support
    [one] { $count } support
   *[other] { $count } supports
}
proposal-held = waiting for moderation
proposal-held-text = Your proposal contains a word that needs a review: it will be published once a moderator agrees. Only you see it for now.
proposal-by = Proposed by { $author } on { $date }
proposal-location = Place:
proposal-location-map = see it on a map
proposal-threshold-reached = This proposal has gathered the supports needed: it is on the town hall's agenda.
proposal-threshold-left = { $count ->
    [one] { $count } more support to put it on the town hall's agenda.
   *[other] { $count } more supports to put it on the town hall's agenda.
}
proposal-supports-closed = The idea box is closed: supports no longer change.
proposal-support = Support this proposal
proposal-unsupport = Withdraw my support
proposal-sign-in-to-support = Sign in to support this proposal
proposal-follow = Follow this proposal
proposal-unfollow = Stop following
proposal-answer = The town hall's answer
proposal-follow-up = Follow-up
proposal-progress = Progress
proposal-no-milestone = No step has been announced yet.
proposal-staff-answer = Answer or update the follow-up
propose-title = Share an idea: { $box }
propose-lead = Describe your idea clearly: what you propose, why, and where. Other residents can support and discuss it.
propose-similar = Similar proposals already exist: you may support them rather than create a new one.
propose-check-similar = See similar proposals
propose-submit = Publish my proposal
field-proposal-title = Title
field-proposal-title-hint = In one sentence, for example "Put benches in the Lime Tree square".
field-proposal-body = Your proposal
field-proposal-body-hint = You may use Markdown formatting (lists, links).
field-photo = Photo (optional)
field-photo-file = Choose a photo
field-photo-hint = JPEG, PNG or WebP, 15 MB at most. It is shrunk and its metadata (GPS position included) removed.
field-photo-kept = Your photo is received.
field-photo-alt = Description of the photo
field-photo-alt-hint = What it shows, for people who cannot see it.
error-photo-too-large = The photo is larger than 15 MB: choose a lighter one.
error-photo-format = This file is not a readable JPEG, PNG or WebP photo.
photo-default-alt = Photo attached to the proposal "{ $title }"
field-location = Place (optional)
field-location-hint = If your idea is about a precise place, give its coordinates (an online map shows them).
field-latitude = Latitude
field-longitude = Longitude
form-none = None
error-proposal-title = Give a title of 5 to { $max } characters.
error-proposal-body = Describe your proposal in 10 to { $max } characters.
error-latitude = Give a latitude between -90 and 90, for example 45.7772.
error-longitude = Give a longitude between -180 and 180, for example 4.6121.
content-hidden = This content has been hidden by the moderators.
map-title = Map of the proposals: { $box }
map-lead = The proposals about a precise place. The list under the map gives the same information.
map-label = Map of the proposals
map-list = List of the located proposals
map-none = No proposal gives a place yet.
map-link = See the proposals on a map
accountability-title = What we did
accountability-lead = The proposals the town hall accepted and how far they have come.
accountability-none = No proposal has been accepted yet.
admin-boxes-what = A theme, dates and rules: residents post their ideas in it.
box-new-title = Open an idea box
box-new-submit = Open the idea box
field-box-title = Title
field-box-description = Theme and rules
field-box-description-hint = Explain the theme, what is possible and what is not (budget, the commune's powers). Markdown accepted.
field-box-categories = Categories
field-box-categories-hint = Separated by commas, for example: Roads, Green spaces, Culture.
field-box-opens = Opening date
field-box-closes = Closing date (included)
field-box-threshold = Support threshold
field-box-threshold-hint = Supports that put a proposal on the agenda. 0: no threshold.
field-box-verified-only = Only verified residents may support
error-box-title = Give a title of at least 3 characters.
error-date = Give a valid date.
error-box-closes-before = The closing must come after the opening.
error-whole-number = Give a whole number.
answer-title = Answer: { $title }
answer-see-proposal = See the proposal
answer-heading = Official answer and status
field-answer = The town hall's public answer
field-answer-hint = It is published under the proposal and sent to those who follow it. Required for a rejection: explain why.
answer-submit = Publish the answer
error-rejection-reason = A rejection must be explained: write the reason.
milestone-heading = Follow-up
field-milestone-title = Step
field-milestone-text = Details
field-milestone-progress = Progress after this step (in %)
milestone-submit = Add the step
error-milestone-title = Describe the step in at least 3 characters.
error-percent = Give a percentage between 0 and 100.
notifications-title = My notifications
notifications-none = No notification. Follow a proposal to hear about it.
notifications-unread = Unread:
notifications-mark-read = Mark all as read
notif-threshold-subject = "{ $title }" reached its support threshold
notif-threshold-text = The proposal "{ $title }" gathered enough supports: it is on the town hall's agenda.
notif-status-subject = "{ $title }": { $status }
notif-status-text = The town hall changed the status of the proposal "{ $title }": { $status }.
notif-answer-subject = The town hall answered "{ $title }"
notif-answer-text = The town hall published an answer to the proposal "{ $title }".
flash-box-closed = This idea box is not open.
flash-box-created = The idea box is open.
flash-proposal-posted = Your proposal is published. Thank you!
flash-proposal-held = Your proposal waits for a moderator's agreement before it is published.
flash-supported = Your support is recorded.
flash-unsupported = Your support is withdrawn.
flash-threshold-reached = Your support made it reach the threshold: the proposal is on the agenda!
flash-support-verified-only = Only residents verified by the town hall may support in this idea box.
flash-following = You follow this proposal: you will hear about it.
flash-not-following = You no longer follow this proposal.
flash-answer-published = The answer is published and the proposal's followers are told.
flash-milestone-added = The step is added.
flash-notifications-read = Your notifications are marked as read.
audit-action-idea-box-opened = Idea box opened
audit-action-proposal-answered = Proposal handled

## Administration
nav-admin = Administration
deleted-participant = Deleted participant
admin-title = Administration
admin-lead = The town hall's space to run the site.
admin-back = Back to administration
admin-staff-nothing-yet = Your service's tools will appear here: moderation and the follow-up of reports come in a later version.
admin-accounts-title = Accounts
admin-accounts-what = Find an account, change its role or service, block or unblock it.
admin-invite-title = Invite a team member
admin-invite-what = Send an invitation by email to a member of staff or an elected official.
admin-journal-title = Security log
admin-journal-what = Who did what, when and from where: sign-ins, role changes, blocks, exports.
admin-outbox-what = The messages the site sent and those waiting.
admin-search-text = Name or email address
admin-all-roles = All roles
admin-search-submit = Search
admin-accounts-caption = Accounts, newest first
admin-accounts-none = No account matches this search.
admin-status = State
admin-status-active = Active
admin-status-blocked = Blocked
admin-status-unconfirmed = Address not confirmed
admin-created = Created on
admin-pagination = Pages
admin-first-page = First page
admin-next-page = Next page
admin-yes = Yes
admin-no = No
admin-language = Language of messages
admin-email-confirmed = Address confirmed
admin-last-sign-in = Last sign-in
admin-sessions = Signed-in devices
admin-account-erased = This account was deleted by its owner on { $date }. Only its id remains.
admin-account-journal = See this account in the security log
admin-not-yourself = You can neither lower your own role nor block your own account: ask another administrator.
admin-role-title = Role and service
admin-service-hint = For town hall staff: the service, for example "roads" or "parks". Leave empty otherwise.
admin-service-too-long = The service must be at most { $max } characters long.
admin-role-submit = Save
admin-block-title = Block the account
admin-block-text = The person will be signed out at once on all their devices, will no longer be able to sign in and will be told by email. Their contributions stay published.
admin-block-submit = Block this account
admin-unblock-text = This account is blocked. Unblocking it lets the person sign in again.
admin-unblock-submit = Unblock this account
admin-invite-lead = The person gets a link, valid for 7 days, to choose their name and password. They will then have to turn on two-factor authentication.
admin-invite-name-hint = The name shown next to their answers, for example "Roads department" or "Claire Dubois, deputy mayor".
admin-invite-submit = Send the invitation
admin-invite-taken = This address already has an account: change its role from its page.
admin-invite-see-account = See the account that uses this address
admin-journal-lead = Events are kept for { $days } days. Times are Paris times.
admin-journal-action = Action
admin-journal-all-actions = All actions
admin-journal-account = Account concerned
admin-journal-account-hint = Its email address.
admin-journal-from = From
admin-journal-to = To (included)
admin-journal-submit = Filter
admin-journal-clear = Clear the filters
admin-journal-none = No event.
admin-journal-caption = Events, newest first
admin-journal-when = Date
admin-journal-actor = By
admin-journal-subject = Account concerned
admin-journal-detail = Detail
admin-journal-newest = Newest events
admin-journal-older = Older events
admin-journal-no-account = No account uses this address.
admin-journal-bad-date = Enter a date like 2026-03-14.
admin-journal-dates-reversed = The end date must come after the start date.
audit-action-sign-in = Sign-in
audit-action-sign-in-failed = Sign-in refused
audit-action-sign-out = Sign-out
audit-action-sign-up = Sign-up
audit-action-email-confirmed = Address confirmed
audit-action-two-factor-enabled = Two-factor authentication turned on
audit-action-two-factor-disabled = Two-factor authentication turned off
audit-action-two-factor-failed = Two-factor code refused
audit-action-recovery-code-used = Recovery code used
audit-action-recovery-codes-renewed = Recovery codes renewed
audit-action-password-changed = Password changed
audit-action-password-reset = Password reset
audit-action-password-reset-requested = Password reset requested
audit-action-email-change-requested = Change of address requested
audit-action-email-changed = Address changed
audit-action-session-revoked = Device signed out
audit-action-role-changed = Role changed
audit-action-account-blocked = Account blocked
audit-action-account-unblocked = Account unblocked
audit-action-staff-invited = Team member invited
audit-action-invitation-accepted = Invitation accepted
audit-action-data-exported = Data exported
audit-action-account-deleted = Account deleted
audit-action-command-line = Administration command
invitation-title = Join the town hall's team
invitation-lead = Choose the name shown next to your answers and your password.
invitation-two-factor = At your first sign-in you will turn on two-factor authentication: have an authenticator app ready on your phone.
invitation-submit = Create my access
invitation-invalid = This invitation link has already been used or has expired. Ask the town hall for a new invitation.
flash-role-changed = The role and service are saved.
flash-account-blocked = The account is blocked and the person is signed out everywhere.
flash-account-unblocked = The account is unblocked.
flash-invitation-sent = The invitation is sent.
flash-invitation-accepted = Your access is ready. Sign in, then turn on two-factor authentication.
flash-account-deleted = Your account is deleted. Thank you for taking part.
data-title = My data
data-lead = Here is everything the site keeps about you. You can also download it as a file.
data-download = Download my data (JSON)
data-account = My account
data-password-note = Your password is only kept in an irreversible hashed form: nobody can read it, not even the town hall.
data-two-factor-on = On ({ $count } recovery codes left)
data-events = Security history
data-events-lead = The security events that concern you, kept for { $days } days.
data-by-you = You
data-by-town-hall = The town hall
data-by-unknown = Unknown
data-mail = Messages sent
data-mail-lead = The emails the site sent you in the last 30 days (their content is not repeated here: it holds personal links).
data-mail-none = No message.
data-mail-subject = Subject
data-mail-pending = Waiting
data-mail-sent = Sent
data-mail-failed = Given up
data-comments = My comments
data-comments-none = No comment.
data-comments-on = On
data-comments-text = Text
data-comments-stance = Stance
data-comments-target = { $kind } no. { $id }
delete-title = Delete my account
delete-link = Delete my account and my data
delete-lead = Deletion is final: you will no longer be able to sign in with this account.
delete-erased-title = What is erased at once
delete-erased-account = Your email address, your name, your password, your neighbourhood and your age bracket.
delete-erased-security = Your sessions, your two-factor authentication, your recovery codes, the links sent to you and the emails not sent yet.
delete-kept-title = What is kept
delete-kept-contributions = Your contributions already published stay visible, signed "Deleted participant".
delete-kept-log = The security log keeps the events linked to this account, without your name or address, for { $days } days.
delete-kept-mail = Emails already sent stay in the site's outbox for 30 days at most.
delete-kept-backups = Backups made before the deletion hold it until they are replaced.
delete-download-first = First download a copy of my data
delete-confirm = I understand that deletion is final.
delete-reauth-note = For your security, you may be asked for your password again.
delete-submit = Delete my account for good
delete-error-confirm = Tick the box to confirm the deletion.
delete-error-last-admin = You are the last administrator: first name another administrator, then delete your account.
admin-system-what = Version, database, disk space, backups, mail and certificate.

## Commentaires et modération
comments-heading = { $count ->
    [0] Comments
    [one] 1 comment
   *[other] { $count } comments
}
comments-discussion-title = Discussion
comments-back-to-proposal = See the proposal
comments-back-to-content = See what is discussed
comments-back = Back to the discussion
comments-none = No comments yet.
comments-sign-in = Sign in to comment
comments-sort-label = Sort the comments
comment-sort-anciens = Oldest first
comment-sort-recents = Newest first
comment-sort-utiles = Most useful first
comments-pagination = Pages of comments
comments-previous = Previous page
comments-next = Next page
comments-page-of = Page { $page } of { $pages }
comments-queue-link = Moderation queue ({ $count })
comments-town-hall = Town hall
comments-edited = edited
comments-in-reply-to = in reply to { $name }
comments-held-note = Waiting for moderation: only you and the moderators can see it.
comments-deleted = Message deleted
comments-hidden = Hidden by the moderators
comments-pending = Message waiting for moderation
comments-useful-count = { $count ->
    [0] Nobody has found this message useful yet.
    [one] 1 person finds this message useful.
   *[other] { $count } people find this message useful.
}
comments-useful = I find this useful
comments-useful-undo = Take back my "useful"
comments-reply = Reply
comments-edit = Edit
comments-delete = Delete
comments-report = Report
comments-moderate = Moderate
comments-new-label = Your comment
comments-reply-label = Your reply
comments-edit-label = Edit your comment
comments-submit = Post the comment
comments-reply-submit = Post the reply
comments-edit-submit = Save the change
comments-hint = You can format: **bold**, *italics*, lists, links. At most { $max } characters.
comments-stance-legend = Where you stand on the proposal (optional)
comment-stance-none = No opinion
comment-stance-for = For
comment-stance-against = Against
comment-stance-neutral = Neutral
charter-before = Before posting, read the
charter-link = participation charter
comments-error-empty = Write your comment.
comments-error-too-long = Your comment is longer than { $max } characters: shorten it.
comments-error-parent-closed = This message cannot be answered any more (it was deleted, hidden or waits for moderation).
comments-error-too-many = You have posted many messages in a short time. Your text is kept below: you can post it in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}.
comments-edit-too-late-title = Editing no longer possible
comments-edit-too-late = A comment can be edited only in the { $minutes } minutes after it was posted. You can delete it and write another one.
comments-delete-title = Delete your comment
comments-delete-text = The text will be erased; "Message deleted" will stay in its place and the replies will remain visible.
comments-delete-submit = Delete the comment
flash-comment-posted = Your comment is posted.
flash-comment-held = Your message will be published once a moderator has read it.
flash-comment-edited = Your comment is changed.
flash-comment-deleted = Your comment is deleted.
flash-comment-useful = Thank you: your opinion counts.
flash-comment-useful-undone = Your "useful" is taken back.
report-title = Report content
report-lead = Tell the moderators what is wrong with { $kind }. Your report is not public.
report-reason = Reason
report-details = Details (optional)
report-details-hint = At most { $max } characters.
report-submit = Send the report
report-error-reason = Choose a reason from the list.
report-error-too-long = The text is longer than { $max } characters: shorten it.
report-error-too-many = You have sent many reports in a short time. What you wrote is kept: you can send this report in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
flash-report-sent = Thank you: the moderators will look at your report.
flash-report-already = You have already reported this content: the moderators will look at it.
moderation-reason-choose = Choose a reason
moderation-reason-spam = Advertising or repeated message
moderation-reason-abuse = Insult, harassment or discrimination
moderation-reason-off-topic = Off topic
moderation-reason-personal-data = Someone else's personal data
moderation-reason-illegal = Illegal content
moderation-reason-other = Other reason
moderation-kind-proposal = the proposal
moderation-kind-comment = the comment
moderation-kind-consultation = the consultation
moderation-kind-report = the problem report
moderation-kind-meeting = the meeting
moderation-kind-page = the page
moderation-title = Moderation
admin-moderation-what = Reported content and held messages waiting for a decision.
moderation-queue-lead = { $count ->
    [0] Nothing waits for a decision.
    [one] 1 item waits for a decision.
   *[other] { $count } items wait for a decision.
}
moderation-queue-empty = The queue is empty.
moderation-queue-caption = Waiting content, oldest first
moderation-content = Content
moderation-excerpt = Excerpt
moderation-status = State
moderation-open-reports = Open reports
moderation-since = Waiting since
moderation-status-published = Published
moderation-status-held = Held (watched word)
moderation-status-hidden = Hidden
moderation-back = Back to the moderation queue
moderation-author = Author
moderation-hidden-because = Hidden for: { $reason }.
moderation-see-in-place = See it in its place on the site
moderation-the-content = The content
moderation-no-text = No text (deleted by its author, or without text).
moderation-reports = Reports
moderation-no-reports = No reports.
moderation-report-date = Date
moderation-reporter = Reported by
moderation-report-open = Open
moderation-report-closed = Dealt with
moderation-decide = Decision
moderation-approve = Publish this message
moderation-restore = Restore this content
moderation-dismiss = Keep it and close the reports
moderation-hide-title = Hide
moderation-hide-reason = Reason, sent to the author
moderation-hide-message = Message to the author (optional)
moderation-hide-message-hint = It is emailed to them with the reason.
moderation-hide-submit = Hide this content
moderation-block-title = Block the author
moderation-block-text = The person will no longer be able to sign in and their sessions end at once. An administrator can unblock them.
moderation-block-submit = Block the author
moderation-author-blocked = The author is blocked.
moderation-mail-hidden-subject = Your contribution was hidden
moderation-mail-hidden-text = A moderator hid { $kind } you posted, for this reason: { $reason }.
moderation-mail-hidden-message = Their message: { $message }
flash-content-hidden = The content is hidden and its author is told.
flash-content-restored = The content is restored.
flash-content-approved = The message is published.
flash-reports-dismissed = The reports are closed; the content stays published.
audit-action-content-hidden = Content hidden
audit-action-content-restored = Content restored
audit-action-content-approved = Held message published
audit-action-reports-dismissed = Reports closed

## Recherche
nav-search = Search
search-title = Search
search-lead = In the commune's proposals, comments, consultations, reports, meetings and pages.
search-form-label = Search the site
search-words = Words to search for
search-words-hint = Capitals, accents and a small typo do not matter.
search-refine = Refine the search
search-type = Type of content
search-type-all = All types
search-status = Status
search-status-all = All statuses
search-neighbourhood = Neighbourhood
search-neighbourhood-all = All neighbourhoods
search-since = Published from
search-until = Published until
search-submit = Search
search-clear = Clear the search
search-option-count = { $label } ({ $count })
search-results = { $count ->
    [0] No results
    [one] { $count } result
   *[other] { $count } results
}
search-results-for = { $count ->
    [0] No results for “{ $q }”
    [one] { $count } result for “{ $q }”
   *[other] { $count } results for “{ $q }”
}
search-page-title-for = Search “{ $q }”: { $count ->
    [0] no results
    [one] { $count } result
   *[other] { $count } results
}
search-page-title-count = Search: { $count ->
    [0] no results
    [one] { $count } result
   *[other] { $count } results
}
search-rebuilding-title = Search will be back in a moment
search-rebuilding-text = The search index is being rebuilt ({ $percent }%). The rest of the site works as usual; try again in a few moments.
search-starting-text = The search index is being checked after the site started. Try again in a few moments.
search-only-common-words = Your search only has very common words (“le”, “de”, “pour”…): add a more precise word.
search-suggestions = Some ideas:
search-suggest-spelling = check the spelling of the words;
search-suggest-fewer = try fewer words, or more general ones (“vélo” rather than “stationnement vélo cargo”);
search-suggest-filters = remove the filters:
search-without-filters = search for these words across the whole site
search-pagination = Result pages
search-previous = Previous page
search-next = Next page
search-page-of = Page { $page } of { $pages }
search-bad-date = Enter a date as YYYY-MM-DD, for example 2026-03-21.
search-dates-reversed = The end date must be the same day as the start date, or later.
search-kind-proposal = Proposal
search-kind-comment = Comment
search-kind-consultation = Consultation
search-kind-report = Report
search-kind-meeting = Meeting
search-kind-page = Page
search-kinds-proposal = Proposals
search-kinds-comment = Comments
search-kinds-consultation = Consultations
search-kinds-report = Reports
search-kinds-meeting = Meetings
search-kinds-page = Pages
